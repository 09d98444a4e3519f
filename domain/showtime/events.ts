import { z } from 'zod';

import type { DomainEvent } from '../shared/events';
import {
  amountMinorSchema,
  countSchema,
  currencySchema,
  idSchema,
  instantSchema,
  textSchema,
} from '../shared/schemas';
import { MAX_AUDITORIUM_NAME_LENGTH } from './auditorium';
import { MAX_MOVIE_TITLE_LENGTH } from './movie';

export const movieTitleSchema = textSchema.max(MAX_MOVIE_TITLE_LENGTH);
export const auditoriumNameSchema = textSchema.max(MAX_AUDITORIUM_NAME_LENGTH);

export const ShowtimeCreatedPayload = z
  .object({
    showtimeId: idSchema,
    movieId: idSchema,
    movieTitle: movieTitleSchema,
    runningTimeMinutes: countSchema,
    auditoriumId: idSchema,
    auditoriumName: auditoriumNameSchema,
    capacity: countSchema,
    startsAt: instantSchema,
    endsAt: instantSchema,
    priceAmountMinor: amountMinorSchema,
    currency: currencySchema,
  })
  .readonly();
export type ShowtimeCreatedPayload = z.infer<typeof ShowtimeCreatedPayload>;

export type ShowtimeCreated = DomainEvent<'ShowtimeCreated', ShowtimeCreatedPayload>;

export type ShowtimeEvent = ShowtimeCreated;
