import type { DomainEvent } from '../shared/events';

export interface ShowtimeCreatedPayload {
  readonly showtimeId: string;
  readonly movieId: string;
  readonly movieTitle: string;
  readonly runningTimeMinutes: number;
  readonly auditoriumId: string;
  readonly auditoriumName: string;
  readonly capacity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly priceAmountMinor: number;
  readonly currency: string;
}

export type ShowtimeCreated = DomainEvent<'ShowtimeCreated', ShowtimeCreatedPayload>;

export type ShowtimeEvent = ShowtimeCreated;
