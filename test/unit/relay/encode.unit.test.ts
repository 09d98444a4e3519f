import { encodeMessage, PoisonMessageError } from '../../../activities/relay/encode';
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
    const r = row('saga-1', 1, { blob: 'x'.repeat(900) });
    const size = encodedSize(r);
    expect(() => encodeMessage(r, size)).not.toThrow();
    expect(() => encodeMessage(r, size - 1)).toThrow(/exceeds KAFKA_MAX_MESSAGE_BYTES/);
  });
});

function encodedSize(r: ReturnType<typeof row>): number {
  const m = encodeMessage(r, Number.MAX_SAFE_INTEGER);
  const headers = Object.entries(m.headers ?? {}).reduce((s, [k, v]) => s + k.length + String(v).length, 0);
  return String(m.value).length + String(m.key).length + headers;
}
