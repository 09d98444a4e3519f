/** Reading the owner of an encoded answer without decoding it (read-service/encoded.ts). */
import { Payment, PurchaseSummary, Reservation, Ticket } from '../../../proto/gen/cinema/read/v1/read';
import { encode, OWNER_FIELD, stringField } from '../../../read-service/encoded';

test.each([
  ['ticket', Ticket],
  ['payment', Payment],
  ['reservation', Reservation],
  ['purchase', PurchaseSummary],
] as const)("OWNER_FIELD.%s is the message's customer_id", (name, codec) => {
  // Every string field set, so a wrong field number reads another field's value.
  const message = codec.fromJSON({}) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(message)) {
    if (typeof v === 'string') message[k] = `${k}-value`;
  }
  const bytes = encode(codec as typeof Ticket, message as unknown as Ticket);
  expect(stringField(bytes, OWNER_FIELD[name])).toBe('customerId-value');
  expect(codec.decode(bytes)).toEqual(message);
});

test('a field after repeated, nested and numeric ones, and an absent field', () => {
  const ticket = Ticket.fromPartial({
    id: 't-1',
    seats: [{ row: 5, number: 10 }],
    totalPrice: { amountMinor: 2500, currency: 'USD' },
    customerId: 'customer-ü',
    qrCode: 'QR',
  });
  const bytes = encode(Ticket, ticket);
  expect(stringField(bytes, OWNER_FIELD.ticket)).toBe('customer-ü');
  expect(stringField(bytes, 13)).toBe('QR');
  expect(stringField(encode(Ticket, Ticket.fromPartial({ id: 't-1' })), OWNER_FIELD.ticket)).toBe('');
});
