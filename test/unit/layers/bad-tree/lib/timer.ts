import { setTimeout as sleep } from 'node:timers/promises';
import { table } from '../db/tables';
export const timer = () => sleep(1, table);
