/** `status [service...]`: each service's real state (pid alive and protocol answering), then the tools. */
import { inspect, type ServiceStatus } from '../lifecycle';
import type { Service } from '../service';
import { InfraPaths, type InfraSettings } from '../settings';
import type { Tool } from '../tools';

/** Prints rows under a header, each column as wide as its widest cell. */
function printTable(header: string[], rows: string[][]): void {
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
}

/**
 * Prints one line per service, then one per tool; true when every non-external service is running
 * and every tool is installed.
 */
export async function status(
  services: readonly Service[],
  settings: InfraSettings,
  tools: readonly Tool[] = [],
): Promise<boolean> {
  const paths = new InfraPaths(settings.home);
  const states: ServiceStatus[] = await Promise.all(services.map((s) => inspect(s, { paths })));
  const rows = services.map((service, i) => {
    const { state, pid } = states[i] as ServiceStatus;
    const address = state === 'external' ? `(${service.connectionVariables.join(', ')})` : service.address;
    return [service.name, state, pid ? String(pid) : '-', address, paths.log(service.name)];
  });
  printTable(['SERVICE', 'STATE', 'PID', 'ADDRESS', 'LOG'], rows);

  const installed = tools.map((tool) => tool.isInstalled());
  if (tools.length > 0) {
    console.log();
    printTable(
      ['TOOL', 'STATE', 'PATH', 'NEEDED BY'],
      tools.map((tool, i) => [
        tool.name,
        installed[i] ? 'installed' : 'missing (npm run infra:up installs it)',
        tool.path,
        tool.neededBy,
      ]),
    );
  }
  return (
    states.every((s) => s.state === 'external' || s.state.startsWith('running')) && installed.every(Boolean)
  );
}
