/** Response bodies of the routes the web app needs: layouts, live seat maps, sales, purchases. */
import { z } from 'zod';
import { instant } from './common';
import { showtimeBody } from './resources';

const money = z.number().meta({ description: 'Decimal amount in the currency' });

export const auditoriumLayoutBody = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    capacity: z.int().min(0),
    seatsPerRowMax: z
      .int()
      .min(0)
      .meta({ description: 'The highest seat number of any row: the width of the grid' }),
    rows: z.array(
      z.strictObject({
        row: z.int(),
        seats: z.array(z.int()).meta({ description: 'Seat numbers of this row, ascending' }),
        gaps: z
          .array(z.int())
          .meta({ description: 'Numbers in 1..seatsPerRowMax without a seat: aisles and gaps' }),
      }),
    ),
  })
  .meta({ id: 'AuditoriumLayout' });

export const seatLayoutBody = z
  .strictObject({
    showtime: showtimeBody,
    seatsPerRowMax: z.int().min(0),
    seatsAvailable: z.int().min(0),
    rows: z.array(
      z.strictObject({
        row: z.int(),
        gaps: z.array(z.int()),
        seats: z.array(
          z.strictObject({
            number: z.int(),
            state: z.enum(['Available', 'Held', 'Sold']),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'SeatLayout' });

export const salesReportBody = z
  .strictObject({
    date: z.string().meta({ description: 'The UTC day, YYYY-MM-DD' }),
    showtimes: z.array(
      z.strictObject({
        showtimeId: z.string(),
        movieTitle: z.string(),
        auditoriumName: z.string(),
        startsAt: instant(),
        capacity: z.int().min(0),
        seatsAvailable: z.int().min(0),
        ticketsIssued: z.int().min(0),
        ticketsRefunded: z.int().min(0),
        seatsSold: z.int().min(0),
        seatsOccupied: z.int().min(0),
        grossRevenue: money,
        refunded: money,
        netRevenue: money,
        currency: z.string(),
      }),
    ),
  })
  .meta({ id: 'SalesReport' });

export const showtimePurchasesBody = z
  .array(
    z.strictObject({
      sagaId: z.string(),
      runId: z.string(),
      executionStatus: z.string().meta({ description: 'Temporal execution status, e.g. RUNNING, COMPLETED' }),
      sagaStatus: z.string().nullable(),
      currentStep: z.string().nullable(),
      customerId: z.string().nullable(),
      ticketNumber: z.string().nullable(),
      startedAt: instant(),
      webUiUrl: z.url().meta({ description: "The purchase's page in the Temporal Web UI" }),
    }),
  )
  .meta({ id: 'ShowtimePurchases' });

/** As TypeScript types for the code that writes or reads them (api/routes/catalog.ts, api/gateway/). */
export type AuditoriumLayoutBody = z.infer<typeof auditoriumLayoutBody>;
export type SeatLayoutBody = z.infer<typeof seatLayoutBody>;
export type SalesReportBody = z.infer<typeof salesReportBody>;
export type ShowtimePurchasesBody = z.infer<typeof showtimePurchasesBody>;
