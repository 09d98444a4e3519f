import { randomUUID } from 'node:crypto';
import type { DomainContext } from '../../domain/shared/context';

/** The real clock and UUID event ids, for aggregates the API changes directly (outside workflows). */
export const systemDomainContext: DomainContext = {
  clock: { now: () => new Date() },
  ids: { nextId: () => randomUUID() },
};
