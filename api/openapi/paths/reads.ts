/**
 * What every GET of a resource shares. Only the gateway has them: the read service answers them
 * (MongoDB views + Redis, projected from Kafka, so a moment behind a command).
 */
import { z } from 'zod';
import { idSchema } from '../../schemas/common';
import { failure } from '../operation';

export const READ_MODEL_NOTE =
  'Answered by the gateway from the read service (eventually consistent: a resource just written ' +
  'may answer 404 for a moment).';

export const idPath = z.object({ id: idSchema });

export const notFound = (code: string) =>
  failure(`${code}: no such ${code.replace(/NotFound$/, '').toLowerCase()} (or not in the read model yet)`);

export const badId = failure('ValidationFailed: a malformed id');
