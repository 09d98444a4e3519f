/**
 * Parses request input with a zod schema or throws a 400 ValidationFailed listing every problem
 * by field path. zod's messages describe what was expected, never the value received, so a card
 * number typed into the wrong field is not echoed back.
 */
import type { z } from 'zod';
import { validationFailed, type FieldErrors } from './api-error';

/** Where the input came from; names the field when the whole value is wrong (e.g. no JSON body). */
export type InputSource = 'body' | 'params' | 'query' | 'headers';

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: InputSource,
  /** Names the field when the value as a whole is wrong (a header's name, say); default: the source. */
  rootName: string = source,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : rootName;
    // The first problem of a field is the useful one; later ones are usually consequences.
    fields[path] ??= issue.message;
  }
  throw validationFailed(fields as FieldErrors);
}
