/**
 * What a projection asks the store to do with one event: pure data, so the rules are unit-tested
 * without MongoDB.
 *
 * Two kinds of fields, because FerretDB has no transactions and events of one aggregate may be
 * redelivered or (across aggregates) arrive in any order:
 * - `facts` never change once true (a ticket's seats, the time a payment was refunded, one saga
 *   step's outcome). Setting them again with the same value is harmless, so they are written on
 *   every delivery, whatever the version: a late creation event still fills in its details.
 * - `state` is what later events overwrite (the status). It is written only when the event's
 *   aggregateVersion is newer than the one the view holds, so a replayed older event cannot roll
 *   the status back.
 */
export const VIEW_NAMES = ['showtimes', 'reservations', 'payments', 'tickets', 'purchases'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface ViewWrite {
  readonly view: ViewName;
  readonly id: string;
  readonly version: number;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly state: Readonly<Record<string, unknown>>;
}
