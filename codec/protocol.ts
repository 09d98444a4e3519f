/**
 * The body of Temporal's remote codec protocol (what the Web UI and `temporal --codec-endpoint`
 * send to POST /encode and /decode): `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`,
 * the proto3 JSON form of temporal.api.common.v1.Payloads.
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');

export const codecRequest = z.strictObject({
  // proto3 JSON leaves an empty repeated field out: the CLI encodes an argument-less query as `{}`.
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), base64).optional(),
        data: base64.optional(),
      }),
    )
    .default([]),
});

export type JsonPayload = z.output<typeof codecRequest>['payloads'][number];

export function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]);
  return { metadata: Object.fromEntries(metadata), data: Buffer.from(payload.data ?? '', 'base64') };
}

export function toJson(payload: Payload): JsonPayload {
  const metadata = Object.entries(payload.metadata ?? {}).map(([k, v]) => [
    k,
    Buffer.from(v ?? []).toString('base64'),
  ]);
  return { metadata: Object.fromEntries(metadata), data: Buffer.from(payload.data ?? []).toString('base64') };
}
