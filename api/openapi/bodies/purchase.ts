/** The purchase saga's answers: the ticket, the compensated failure, 202 pending, the status. */
import { z } from 'zod';
import { SAGA_STATES } from '../../../domain/purchase/saga-state';
import { COMPENSATIONS, SAGA_STEPS } from '../../../domain/purchase/saga-steps';
import { instant, seatBody } from './common';

export const purchaseSucceededBody = z
  .strictObject({
    success: z.literal(true),
    ticketId: z.string(),
    ticketNumber: z.string(),
    reservationId: z.string(),
    paymentId: z.string(),
    movieTitle: z.string(),
    screeningTime: instant(),
    seats: z.array(seatBody),
    totalPrice: z.number(),
    sagaId: z.string().meta({ example: 'purchase-demo-1' }),
  })
  .meta({ id: 'PurchaseSucceeded' });

export const purchaseFailedBody = z
  .strictObject({
    success: z.literal(false),
    error: z.string().meta({ example: 'Compensated: Payment declined - insufficient funds' }),
    sagaId: z.string(),
  })
  .meta({
    id: 'PurchaseCompensated',
    description:
      'The saga ran and rolled back cleanly (declined card, seat taken...): nothing is held or charged.',
  });

export const purchasePendingBody = z
  .strictObject({
    success: z.literal(true),
    pending: z.literal(true),
    sagaId: z.string(),
    status: z.literal('InProgress'),
    statusUrl: z.string().meta({ example: '/api/ticketpurchase/purchase-demo-1/status' }),
  })
  .meta({ id: 'PurchasePending' });

export const sagaStatusBody = z
  .strictObject({
    sagaId: z.string(),
    status: z.enum(SAGA_STATES),
    currentStep: z.int().min(0),
    totalSteps: z.int().min(1),
    failureReason: z.string().nullable(),
    createdAt: instant(),
    completedAt: instant().nullable(),
    ticketId: z.string().nullable(),
    ticketNumber: z.string().nullable(),
    stepLogs: z.array(
      z.strictObject({
        stepName: z.enum([...SAGA_STEPS, ...COMPENSATIONS]),
        success: z.boolean(),
        message: z.string(),
        timestamp: instant(),
      }),
    ),
  })
  .meta({ id: 'SagaStatus' });

/** As TypeScript types for the code that writes them (api/presenters/purchase.ts). */
export type PurchaseSucceededBody = z.infer<typeof purchaseSucceededBody>;
export type PurchaseFailedBody = z.infer<typeof purchaseFailedBody>;
export type PurchasePendingBody = z.infer<typeof purchasePendingBody>;
export type SagaStatusBody = z.infer<typeof sagaStatusBody>;
