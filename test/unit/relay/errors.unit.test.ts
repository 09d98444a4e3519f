import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';

import { isKafkaRecordRejection, isTransientDatabaseError } from '../../../activities/relay/errors';

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ message: type, type, code: 0, retriable } as never);

/** What kafkajs's retrier rejects with once it stops retrying: the last error as `cause`. */
const gaveUp = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause });

describe('isKafkaRecordRejection', () => {
  it('recognizes a record the broker rejected, as kafkajs wraps it after giving up', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', false);
    expect(isKafkaRecordRejection(gaveUp(tooLarge))).toBe(true);
  });

  it('does not blame records for an unreachable or leaderless cluster', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    expect(isKafkaRecordRejection(gaveUp(refused))).toBe(false);
    expect(isKafkaRecordRejection(protocolError('LEADER_NOT_AVAILABLE', true))).toBe(false);
  });
});

describe('isTransientDatabaseError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['an admin shutdown (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a deadlock (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
  ])('treats %s as an outage', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['invalid input (22P02)', Object.assign(new Error('invalid input syntax'), { code: '22P02' })],
    ['a constraint violation (23502)', Object.assign(new Error('null value'), { code: '23502' })],
    ['a rejected envelope', new TypeError('invalid event envelope: eventId: Invalid UUID')],
  ])('treats %s as a problem with the rows', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
