/**
 * The ids of the rows one purchase writes, derived from its workflow's first run id instead of
 * drawn from the workflow's random seed. A reset (`temporal workflow reset`) keeps the first run
 * id but runs its last workflow task again with a new seed: ids drawn there would name new rows
 * for a purchase whose rows exist, and charge again under a new payment id. Derived, they come out
 * the same in every run of the purchase, with no workflow task of their own (the 1 ms timer the
 * `ids-in-own-workflow-task` shape pays for that).
 *
 * Each id is the run id (a random UUID: 122 random bits in v4, 74 in v7) marked as version 8
 * (RFC 9562: application-defined) with the kind in the variant's two free bits. Two purchases'
 * ids of one kind meet only if their run ids differ in those few replaced bits alone; ids of
 * different kinds never meet, nor do they meet the v4 ids minted elsewhere.
 */
const KINDS = ['reservation', 'payment', 'ticket'] as const;
export type PurchaseRowKind = (typeof KINDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function purchaseRowId(firstRunId: string, kind: PurchaseRowKind): string {
  const runId = firstRunId.toLowerCase();
  if (!UUID.test(runId)) throw new TypeError(`a workflow run id is a UUID, not ${firstRunId}`);
  const hex = [...runId];
  hex[14] = '8'; // the version nibble: xxxxxxxx-xxxx-Vxxx-Nxxx-xxxxxxxxxxxx
  hex[19] = (0x8 + KINDS.indexOf(kind)).toString(16); // variant 10xx, xx = the kind
  return hex.join('');
}

export interface PurchaseRowIds {
  readonly reservationId: string;
  readonly paymentId: string;
  readonly ticketId: string;
}

export const purchaseRowIds = (firstRunId: string): PurchaseRowIds => ({
  reservationId: purchaseRowId(firstRunId, 'reservation'),
  paymentId: purchaseRowId(firstRunId, 'payment'),
  ticketId: purchaseRowId(firstRunId, 'ticket'),
});
