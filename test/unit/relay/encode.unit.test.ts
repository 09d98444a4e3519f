import { encodeMessage, PoisonMessageError } from '../../../activities/relay/encode';
import type { OutboxMessage } from '../../../db';
import { row } from './fixtures';

describe('encodeMessage', () => {
  it('keys by aggregate id, carries the envelope as JSON and the routing headers', () => {
    const r = row('saga-1', 3);
    expect(encodeMessage(r, 1_000_000)).toEqual({
      key: 'saga-1',
      value: JSON.stringify(r.envelope),
      headers: {
        eventId: r.id,
        eventType: 'StepCompleted',
        occurredAt: r.envelope.occurredAt,
        schemaVersion: '1',
      },
    });
  });

  it('adds the request id header when a client request caused the event', () => {
    const r = row('saga-1', 3);
    const traced = { ...r, envelope: { ...r.envelope, correlationId: 'saga-1', requestId: 'req-42' } };
    const message = encodeMessage(traced, 1_000_000);
    expect(message.headers).toMatchObject({ eventId: r.id, requestId: 'req-42' });
    expect(JSON.parse(String(message.value))).toMatchObject({ requestId: 'req-42' });
  });

  it('leaves the header out for a null request id (work no request caused)', () => {
    const r = row('saga-1', 3);
    const untraced = { ...r, envelope: { ...r.envelope, requestId: null } };
    expect(Object.keys(encodeMessage(untraced, 1_000_000).headers ?? {})).toEqual([
      'eventId',
      'eventType',
      'occurredAt',
      'schemaVersion',
    ]);
  });

  it.each([
    ['eventId', 'c0ffee00-0000-4000-8000-000000000000'],
    ['aggregateId', 'saga-other'],
    ['aggregateVersion', 4],
    ['eventType', 'StepFailed'],
  ])('rejects an envelope whose %s disagrees with its row', (field, value) => {
    const r = row('saga-1', 3);
    const tampered = { ...r, envelope: { ...r.envelope, [field]: value } };
    expect(() => encodeMessage(tampered, 1_000_000)).toThrow(PoisonMessageError);
    expect(() => encodeMessage(tampered, 1_000_000)).toThrow(new RegExp(`envelope ${field}`));
  });

  it('rejects a payload that is not an envelope object', () => {
    const r = { ...row('saga-1', 1), envelope: 'oops' as never };
    expect(() => encodeMessage(r, 1_000_000)).toThrow(/not an event envelope object/);
  });

  it('rejects a message over the size limit, counting key and headers', () => {
    const base = row('saga-1', 1, { blob: 'x'.repeat(900) });
    const r = { ...base, envelope: { ...base.envelope, requestId: 'req-'.padEnd(100, 'r') } };
    const size = encodedSize(r);
    expect(() => encodeMessage(r, size)).not.toThrow();
    expect(() => encodeMessage(r, size - 1)).toThrow(/exceeds KAFKA_MAX_MESSAGE_BYTES/);
  });
});

function encodedSize(r: OutboxMessage): number {
  const m = encodeMessage(r, Number.MAX_SAFE_INTEGER);
  const headers = Object.entries(m.headers ?? {}).reduce((s, [k, v]) => s + k.length + String(v).length, 0);
  return String(m.value).length + String(m.key).length + headers;
}
