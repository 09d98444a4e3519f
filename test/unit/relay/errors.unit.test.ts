import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';

import { isKafkaRecordRejection, isProjectionRowError } from '../../../activities/relay/errors';
import { EventContractError } from '../../../db/reporting/projection';

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

describe('isProjectionRowError', () => {
  const pg = (code: string, message: string) => Object.assign(new Error(message), { code });
  it.each([
    ['a refused connection', pg('ECONNREFUSED', 'connect ECONNREFUSED')],
    ['an admin shutdown (57P01)', pg('57P01', 'terminating connection')],
    ['a deadlock (40P01)', pg('40P01', 'deadlock detected')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a read-only database (25006)', pg('25006', 'cannot execute INSERT in a read-only transaction')],
    ['a revoked grant (42501)', pg('42501', 'permission denied for table processed_events')],
    ['a missing table (42P01)', pg('42P01', 'relation "processed_events" does not exist')],
    ['a constraint the schema changed under the relay (23502)', pg('23502', 'null value')],
    ['an unknown error', new Error('something else')],
  ])('treats %s as an outage', (_, error) => {
    expect(isProjectionRowError(error)).toBe(false);
  });

  it.each([
    [
      'data the database cannot store (22021)',
      pg('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    ],
    ['invalid input (22P02)', pg('22P02', 'invalid input syntax')],
    [
      'an event that breaks the contract',
      new EventContractError('invalid event envelope: eventId: Invalid UUID'),
    ],
    ['a SQL Server conversion error', Object.assign(new Error('Conversion failed'), { number: 245 })],
  ])('treats %s as a problem with the row', (_, error) => {
    expect(isProjectionRowError(error)).toBe(true);
  });
});
