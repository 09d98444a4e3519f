/**
 * mssql parses only ADO-style connection strings, so the `mssql://` / `sqlserver://` URLs used
 * across the project's configuration are turned into its config object here.
 *
 *   mssql://sa:secret@127.0.0.1:1433/CinemaDb?encrypt=true&trustServerCertificate=true
 */
import type { config as MssqlConfig } from 'mssql';

const flag = (value: string | null, fallback: boolean): boolean =>
  value === null ? fallback : ['1', 'true', 'yes'].includes(value.toLowerCase());

export function mssqlConfigFromUrl(url: string, poolMax = 10): MssqlConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mssql:' && parsed.protocol !== 'sqlserver:') {
    throw new Error('expected an mssql:// or sqlserver:// URL');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const q = parsed.searchParams;
  const instanceName = q.get('instanceName');
  return {
    server: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 1433,
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: database || undefined,
    pool: { max: poolMax, min: 0 },
    options: {
      // tedious encrypts by default; a docker-compose server has a self-signed certificate.
      encrypt: flag(q.get('encrypt'), true),
      trustServerCertificate: flag(q.get('trustServerCertificate'), false),
      ...(instanceName ? { instanceName } : {}),
      // datetimeoffset values come back as UTC Date objects either way; this keeps DATETIME sane too.
      useUTC: true,
    },
  };
}
