/**
 * What every GET of a resource shares. Through the gateway a GET is answered by the read service
 * (MongoDB views + Redis, projected from Kafka, so a moment behind a command); an API node
 * answers the same routes from the write database.
 */
import { z } from 'zod';
import { idSchema } from '../../schemas/common';
import { failure } from '../operation';

export const READ_MODEL_NOTE =
  'Through the gateway this is answered by the read service (eventually consistent: a resource ' +
  'just written may answer 404 for a moment); an API node answers from the write database.';

export const idPath = z.object({ id: idSchema });

export const notFound = (code: string) =>
  failure(
    `${code} (API node) or NotFound (gateway, read model): no such ${code.replace(/NotFound$/, '').toLowerCase()}`,
  );

export const badId = failure('ValidationFailed: a malformed id');
