import { readFileSync } from 'node:fs';
import type { step } from '../activities/step';
export const sandboxed = (s: typeof step) => readFileSync(String(s));
