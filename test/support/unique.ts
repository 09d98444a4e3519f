/**
 * Unique names for per-test-file resources (databases, topics, task queues, key prefixes), so
 * integration test files can share the same running services, in parallel, without seeing each
 * other's data. Lowercase [a-z0-9_] fits every service's naming rules.
 */
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string, maxLength = 63): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  return `${clean.slice(0, Math.max(1, maxLength - suffix.length - 1))}_${suffix}`;
}
