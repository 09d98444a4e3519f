/**
 * The "shape" of a JSON value: field names and JSON types, recursively, with arrays kept element
 * by element. Comparing `shapeOf(actual)` with `shapeOf(documentedExample)` through `toEqual`
 * checks a response against the documented example without comparing example values, and a failure
 * prints a diff that names the missing, extra or retyped field.
 */
export type Shape =
  'string' | 'number' | 'boolean' | 'null' | readonly Shape[] | { readonly [field: string]: Shape };

export function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shapeOf);
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  if (type === 'object') {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
  }
  throw new Error(`not a JSON value: ${type}`);
}

/** `base` with the fields of `extra` added (objects merged recursively): declared additions. */
export function withFields(base: Shape, extra: Shape | undefined): Shape {
  if (extra === undefined) return base;
  if (!isObjectShape(base) || !isObjectShape(extra)) return extra;
  const merged: Record<string, Shape> = { ...base };
  for (const [k, v] of Object.entries(extra)) merged[k] = k in base ? withFields(base[k]!, v) : v;
  return merged;
}

const isObjectShape = (s: Shape): s is { readonly [field: string]: Shape } =>
  typeof s === 'object' && !Array.isArray(s);
