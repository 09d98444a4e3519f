/**
 * Reading driver values back into plain TypeScript values. The two drivers differ: pg returns
 * bigint as a string and jsonb parsed; mssql returns uniqueidentifier upper-cased and JSON as
 * nvarchar text. Every repository maps rows through these so both dialects give the same shapes.
 */

export function str(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new Error(`column ${column}: expected text, got ${typeof value}`);
  return value;
}

export function strOrNull(value: unknown, column: string): string | null {
  return value === null || value === undefined ? null : str(value, column);
}

/** int, bigint (string in pg) or numeric text, as a safe integer. */
export function int(value: unknown, column: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new Error(`column ${column}: expected an integer`);
  return n;
}

export function uuid(value: unknown, column: string): string {
  return str(value, column).toLowerCase();
}

export function instant(value: unknown, column: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`column ${column}: expected a timestamp`);
  return date;
}

export function isoOrNull(value: unknown, column: string): string | null {
  return value === null || value === undefined ? null : instant(value, column).toISOString();
}

export function iso(value: unknown, column: string): string {
  return instant(value, column).toISOString();
}

/** jsonb arrives parsed (pg), nvarchar JSON arrives as text (mssql). */
export function jsonValue(value: unknown, column: string): unknown {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new Error(`column ${column}: invalid JSON`);
    }
  }
  if (value === null || value === undefined) throw new Error(`column ${column}: expected JSON, got NULL`);
  return value;
}
