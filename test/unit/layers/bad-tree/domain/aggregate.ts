import { table } from '../db/tables';
export const leaked = table;
