/** Every local service, in the order `status` lists them. */
import { ferretdb } from './services/ferretdb';
import { kafka } from './services/kafka';
import { postgres } from './services/postgres';
import { redis } from './services/redis';
import { temporal } from './services/temporal';
import { SERVICE_NAMES, type Service, type ServiceName } from './service';

export const SERVICES: readonly Service[] = [temporal, kafka, postgres, redis, ferretdb];

/** The services named (all when none are), or an error listing the unknown names. */
export function selectServices(names: readonly string[]): Service[] {
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown service ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  }
  return names.length === 0 ? [...SERVICES] : SERVICES.filter((s) => names.includes(s.name as ServiceName));
}
