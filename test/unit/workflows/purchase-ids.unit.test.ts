/**
 * A purchase's row ids come from its first run id (workflows/purchase-ids.ts): the same in every
 * run of the purchase (a reset keeps the first run id), distinct per kind, and UUIDs the write
 * database and the outbox take.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { purchaseRowId, purchaseRowIds } from '../../../workflows/purchase-ids';

const runIds = Array.from({ length: 200 }, () => randomUUID());

it('derives the same ids from the same run id', () => {
  for (const runId of runIds.slice(0, 20)) expect(purchaseRowIds(runId)).toEqual(purchaseRowIds(runId));
  expect(purchaseRowIds(runIds[0]!.toUpperCase())).toEqual(purchaseRowIds(runIds[0]!));
});

it('gives each kind its own id, and each purchase its own ids', () => {
  const all = runIds.flatMap((runId) => Object.values(purchaseRowIds(runId)));
  expect(new Set(all).size).toBe(runIds.length * 3);
});

it('writes RFC 9562 UUIDs (version 8) that a UUID check accepts', () => {
  const uuid = z.uuid();
  for (const runId of runIds) {
    for (const id of Object.values(purchaseRowIds(runId))) {
      expect(uuid.safeParse(id).success).toBe(true);
      expect(id[14]).toBe('8');
      expect(id).not.toBe(runId);
    }
  }
});

it('keeps every bit of the run id but the version and the variant', () => {
  const runId = '0123abcd-4567-4def-b123-456789abcdef';
  expect(purchaseRowIds(runId)).toEqual({
    reservationId: '0123abcd-4567-8def-8123-456789abcdef',
    paymentId: '0123abcd-4567-8def-9123-456789abcdef',
    ticketId: '0123abcd-4567-8def-a123-456789abcdef',
  });
});

it('refuses a run id that is not a UUID', () => {
  expect(() => purchaseRowId('run-1', 'ticket')).toThrow(TypeError);
});
