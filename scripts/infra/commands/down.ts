/** `down [service...]` / `down --from-file F`: stop services (all, the named, or those listed in F). */
import { withLock } from '../lib/lock';
import { stop } from '../lifecycle';
import type { Service } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';

export async function down(
  services: readonly Service[],
  settings: InfraSettings,
  quiet: boolean,
): Promise<boolean> {
  const paths = new InfraPaths(settings.home);
  return withLock(
    paths.lock,
    (holder) => console.error(`waiting for another infra command (pid ${holder}) to finish…`),
    async () => {
      const results = await Promise.allSettled(services.map((service) => stop(service, { paths })));
      let ok = true;
      results.forEach((result, i) => {
        const name = (services[i] as Service).name;
        if (result.status === 'fulfilled') {
          if (!quiet) console.log(`${name.padEnd(10)} ${result.value}`);
        } else {
          ok = false;
          console.error(`${name.padEnd(10)} could not be stopped: ${(result.reason as Error).message}`);
        }
      });
      return ok;
    },
  );
}
