/** `logs [service...]`: the end of each service's log (CI prints this when a run fails). */
import { tailFile } from '../lib/logs';
import type { Service } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';

export function logs(services: readonly Service[], settings: InfraSettings, lines: number): void {
  const paths = new InfraPaths(settings.home);
  for (const service of services) {
    const file = paths.log(service.name);
    console.log(`----- ${service.name}: last ${lines} lines of ${file}`);
    console.log(tailFile(file, lines) || '(empty or missing)');
  }
}
