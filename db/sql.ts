/**
 * The SQL core: a tagged template that can only produce parameterized statements.
 *
 * Why not an ORM or query builder: the write side speaks PostgreSQL and SQL Server directly
 * (the claim query needs dialect-specific lock hints), and ~150 lines of fragments are easier to
 * audit than a dependency that hides the SQL.
 *
 *   sql`SELECT * FROM showtimes WHERE id = ${id}`      -> $1 (postgres) / @p1 (mssql)
 *   sql`... ${otherFragment} ...`                       -> inlined, its parameters renumbered
 *   byDialect({ postgres: sql`LIMIT ${n}`, mssql: sql`` })  -> where the SQL really differs
 */
import type { Dialect } from './dialect';

/** A value that becomes a bound parameter. Arrays and objects are refused: use `join` or `json`. */
export type SqlValue = string | number | boolean | Date | null;

/** A parameter the driver needs to know more about than its JavaScript type. */
export class TypedParam {
  constructor(
    readonly kind: 'json',
    readonly value: string | null,
  ) {}
}

class DialectSwitch {
  constructor(readonly variants: Readonly<Record<Dialect, SqlFragment>>) {}
}

/** Code-authored SQL text (template literal parts); a bare string chunk is always a value. */
class Text {
  constructor(readonly text: string) {}
}

type Chunk = Text | SqlValue | TypedParam | SqlFragment | DialectSwitch;

/** An immutable piece of SQL text with its parameter values kept apart from the text. */
export class SqlFragment {
  constructor(readonly chunks: readonly Chunk[]) {}
}

export type Interpolation = SqlValue | TypedParam | SqlFragment | DialectSwitch;

export function sql(strings: TemplateStringsArray, ...values: Interpolation[]): SqlFragment {
  const chunks: Chunk[] = [];
  strings.forEach((text, i) => {
    chunks.push(new Text(text));
    if (i < values.length) chunks.push(checkInterpolation(values[i]));
  });
  return new SqlFragment(chunks);
}

function checkInterpolation(value: unknown): Interpolation {
  if (value === undefined) throw new TypeError('sql: undefined interpolated (use null for SQL NULL)');
  if (value instanceof SqlFragment || value instanceof TypedParam || value instanceof DialectSwitch)
    return value;
  if (value === null || value instanceof Date) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`sql: non-finite number ${value}`);
    return value;
  }
  if (typeof value === 'string') return storable(value);
  if (typeof value === 'boolean') return value;
  // Arrays and plain objects would be serialized differently by each driver: make the caller say how.
  throw new TypeError(
    `sql: cannot bind a ${Array.isArray(value) ? 'array' : typeof value}; use join() or json()`,
  );
}

/** Joins fragments (or values, each bound as a parameter) with a separator. */
export function join(
  items: readonly (SqlFragment | SqlValue)[],
  separator: SqlFragment = sql`, `,
): SqlFragment {
  const chunks: Chunk[] = [];
  items.forEach((item, i) => {
    if (i > 0) chunks.push(separator);
    chunks.push(checkInterpolation(item));
  });
  return new SqlFragment(chunks);
}

/** SQL that differs per dialect; the variants are themselves parameterized fragments. */
export function byDialect(variants: Readonly<Record<Dialect, SqlFragment>>): DialectSwitch {
  return new DialectSwitch(variants);
}

/** A JSON document bound as one parameter (postgres casts it to jsonb; mssql stores nvarchar JSON). */
export function json(value: unknown): TypedParam {
  return new TypedParam(
    'json',
    value === null || value === undefined
      ? null
      : JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storable(v) : v)),
  );
}

/** NUL, or a UTF-16 surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern is for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text in the form both databases accept: PostgreSQL refuses NUL in text and jsonb, and an
 * unpaired UTF-16 surrogate in jsonb; either would fail every write of the row that carries it,
 * possibly after money moved. They become U+FFFD (the replacement character), so a write never
 * fails on free text; identifiers are validated long before they get here.
 */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/**
 * Static SQL text that is not a template literal: migration files and identifiers from code
 * constants. Never pass anything that came from a request, a row or the environment.
 */
export function trustedRaw(text: string): SqlFragment {
  return new SqlFragment([new Text(text)]);
}

export const empty = new SqlFragment([]);

export interface CompiledParam {
  readonly value: SqlValue;
  readonly kind?: TypedParam['kind'];
}

export interface CompiledQuery {
  readonly text: string;
  readonly params: readonly CompiledParam[];
}

/** Renders a fragment for one dialect: `$n` placeholders for postgres, `@pn` for mssql. */
export function compile(fragment: SqlFragment, dialect: Dialect): CompiledQuery {
  let text = '';
  const params: CompiledParam[] = [];
  const visit = (chunk: Chunk): void => {
    if (chunk instanceof SqlFragment) {
      chunk.chunks.forEach(visit);
    } else if (chunk instanceof DialectSwitch) {
      visit(chunk.variants[dialect]);
    } else if (chunk instanceof Text) {
      text += chunk.text;
    } else if (chunk instanceof TypedParam) {
      params.push({ value: chunk.value, kind: chunk.kind });
      text += placeholder(dialect, params.length) + (dialect === 'postgres' ? '::jsonb' : '');
    } else {
      params.push({ value: chunk });
      text += placeholder(dialect, params.length);
    }
  };
  visit(fragment);
  return { text, params };
}

function placeholder(dialect: Dialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : `@p${n}`;
}
