import type { ReadEnvelope } from '../decode';
import { utc } from './time';
import type { ViewWrite } from './types';

/**
 * The purchase summary by saga id. Each step or compensation outcome is a fact stored under its
 * own event id (`steps.<eventId>`), so steps can arrive in any order or twice and the list is
 * still complete and free of duplicates; the reader sorts them by time.
 */
export function projectPurchase(e: ReadEnvelope): ViewWrite {
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
    case 'SagaStarted': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          customerId: p.customerId,
          showtimeId: p.showtimeId,
          seats: p.seats,
          startedAt: utc(p.startedAt),
        },
        state: { status: 'Started' },
      };
    }
    case 'StepCompleted': {
      const p = e.payload;
      const refs: Record<string, string> = {};
      for (const k of ['reservationId', 'paymentId', 'ticketId', 'ticketNumber'] as const) {
        const v = p[k];
        if (v !== null) refs[k] = v;
      }
      return {
        ...base,
        facts: { ...refs, ...step(p.stepName, p.stepNumber, true, p.message) },
        state: {},
      };
    }
    case 'StepFailed': {
      const p = e.payload;
      return {
        ...base,
        facts: step(p.stepName, p.stepNumber, false, p.reason),
        state: { status: 'Compensating' },
      };
    }
    case 'CompensationCompleted': {
      const p = e.payload;
      return { ...base, facts: step(p.compensation, 0, true, p.message), state: {} };
    }
    case 'SagaCompleted': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          customerId: p.customerId,
          showtimeId: p.showtimeId,
          reservationId: p.reservationId,
          paymentId: p.paymentId,
          ticketId: p.ticketId,
          ticketNumber: p.ticketNumber,
          finishedAt: utc(p.completedAt),
        },
        state: { status: 'Completed' },
      };
    }
    case 'SagaCompensated': {
      const p = e.payload;
      return {
        ...base,
        facts: {
          customerId: p.customerId,
          showtimeId: p.showtimeId,
          failureReason: p.reason,
          finishedAt: utc(p.completedAt),
        },
        state: { status: 'Compensated' },
      };
    }
    case 'SagaFailed': {
      const p = e.payload;
      return {
        ...base,
        facts: { failureReason: `${p.reason}; ${p.abandonReason}`, finishedAt: utc(p.failedAt) },
        state: { status: 'Failed' },
      };
    }
    default:
      throw new Error(`not a saga event: ${e.eventType}`);
  }
}
