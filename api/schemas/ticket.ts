/** Route parameters of the ticket routes. */
import { z } from 'zod';
import { safeText } from './common';

/** `TKT-yyyyMMddHHmmss-NNNN`; case and surrounding spaces are forgiven, as the repository does. */
export const ticketNumberParamsSchema = z.object({
  ticketNumber: safeText(64)
    .trim()
    .toUpperCase()
    .regex(/^TKT-\d{14}-\d{4}$/, 'expected a ticket number like TKT-20250108123456-1234'),
});
