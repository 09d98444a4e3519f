/** `status [service...]`: each service's real state (pid alive and protocol answering). */
import { inspect, type ServiceStatus } from '../lifecycle';
import type { Service } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';

/** Prints one line per service; true when every non-external one is running. */
export async function status(services: readonly Service[], settings: InfraSettings): Promise<boolean> {
  const paths = new InfraPaths(settings.home);
  const states: ServiceStatus[] = await Promise.all(services.map((s) => inspect(s, { paths })));
  const rows = services.map((service, i) => {
    const { state, pid } = states[i] as ServiceStatus;
    const address = state === 'external' ? `(${service.connectionVariables.join(', ')})` : service.address;
    return [service.name, state, pid ? String(pid) : '-', address, paths.log(service.name)];
  });
  const header = ['SERVICE', 'STATE', 'PID', 'ADDRESS', 'LOG'];
  const widths = header.map((h, col) =>
    Math.max(h.length, ...rows.map((row) => (row[col] as string).length)),
  );
  for (const row of [header, ...rows]) {
    console.log(
      row
        .map((cell, col) => cell.padEnd(widths[col] as number))
        .join('  ')
        .trimEnd(),
    );
  }
  return states.every((s) => s.state === 'external' || s.state.startsWith('running'));
}
