/** Dates, times and money as people read them. Times are shown in the cinema's zone (UTC here). */
const ZONE = 'UTC';

export const time = (iso: string): string =>
  new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: ZONE });

export const day = (iso: string): string =>
  new Date(iso).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: ZONE,
  });

export const dateTime = (iso: string): string => `${day(iso)}, ${time(iso)}`;

export const money = (amount: number | null, currency: string | null): string =>
  amount === null
    ? '–'
    : new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(amount);

/** YYYY-MM-DD of a date in the cinema's zone. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

export const seatLabel = (s: { row: number; number: number }): string => `Row ${s.row}, Seat ${s.number}`;
export const seatList = (seats: ReadonlyArray<{ row: number; number: number }>): string =>
  seats.map(seatLabel).join('; ');
