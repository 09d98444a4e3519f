import type { ReadEnvelope } from '../decode';
import { Payload } from './payload';
import type { ViewWrite } from './types';

/**
 * The purchase summary by saga id. Each step or compensation outcome is a fact stored under its
 * own event id (`steps.<eventId>`), so steps can arrive in any order or twice and the list is
 * still complete and free of duplicates; the reader sorts them by time.
 */
export function projectPurchase(e: ReadEnvelope): ViewWrite {
  const p = new Payload(e);
  const base = { view: 'purchases' as const, id: e.aggregateId, version: e.aggregateVersion };
  const step = (stepName: string, stepNumber: number, success: boolean, message: string) => ({
    // A field name may not hold '.' or start with '$'; event ids are uuids, but be safe.
    [`steps.${e.eventId.replace(/[^A-Za-z0-9_-]/g, '_')}`]: {
      stepName,
      stepNumber,
      success,
      message,
      timestamp: e.occurredAt,
    },
  });
  switch (e.eventType) {
    case 'SagaStarted':
      return {
        ...base,
        facts: {
          customerId: p.str('customerId'),
          showtimeId: p.str('showtimeId'),
          seats: p.seats(),
          startedAt: p.time('startedAt'),
        },
        state: { status: 'Started' },
      };
    case 'StepCompleted': {
      const refs: Record<string, string> = {};
      for (const k of ['reservationId', 'paymentId', 'ticketId', 'ticketNumber']) {
        const v = p.optStr(k);
        if (v !== null) refs[k] = v;
      }
      return {
        ...base,
        facts: { ...refs, ...step(p.str('stepName'), p.int('stepNumber'), true, p.str('message')) },
        state: {},
      };
    }
    case 'StepFailed':
      return {
        ...base,
        facts: step(p.str('stepName'), p.int('stepNumber'), false, p.str('reason')),
        state: { status: 'Compensating' },
      };
    case 'CompensationCompleted':
      return { ...base, facts: step(p.str('compensation'), 0, true, p.str('message')), state: {} };
    case 'SagaCompleted':
      return {
        ...base,
        facts: {
          customerId: p.str('customerId'),
          showtimeId: p.str('showtimeId'),
          reservationId: p.str('reservationId'),
          paymentId: p.str('paymentId'),
          ticketId: p.str('ticketId'),
          ticketNumber: p.str('ticketNumber'),
          finishedAt: p.time('completedAt'),
        },
        state: { status: 'Completed' },
      };
    case 'SagaCompensated':
      return {
        ...base,
        facts: {
          customerId: p.str('customerId'),
          showtimeId: p.str('showtimeId'),
          failureReason: p.str('reason'),
          finishedAt: p.time('completedAt'),
        },
        state: { status: 'Compensated' },
      };
    case 'SagaFailed':
      return {
        ...base,
        facts: {
          failureReason: `${p.str('reason')}; ${p.str('abandonReason')}`,
          finishedAt: p.time('failedAt'),
        },
        state: { status: 'Failed' },
      };
    default:
      throw new Error(`not a saga event: ${e.eventType}`);
  }
}
