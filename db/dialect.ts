/** The two SQL dialects the write side speaks; chosen by the connection URL's scheme. */
export type Dialect = 'postgres' | 'mssql';

export function dialectOf(url: string): Dialect {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mssql' || scheme === 'sqlserver') return 'mssql';
  throw new Error(`unsupported database URL scheme: expected postgres:// or mssql:// / sqlserver://`);
}
