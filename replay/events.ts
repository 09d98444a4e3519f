/**
 * Reading a non-determinism failure back against the history it happened on: the SDK's message
 * wraps Core's one-line explanation in a debug dump, and names the history event only by id.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Core's own sentence (e.g. `[TMPRL1100] Nondeterminism error: ... HistoryEvent(id: 5, ...)`), if present. */
export function coreMessage(message: string): string | null {
  const found = /message: "((?:[^"\\]|\\.)*)"/.exec(message);
  return found ? found[1]!.replace(/\\(.)/g, '$1') : null;
}

/** The id of the history event a non-determinism message names, if it names one. */
export function mismatchEventId(message: string): number | null {
  const found = /HistoryEvent\(id: (\d+)/.exec(message) ?? /event (?:id )?(\d+)/i.exec(message);
  return found ? Number(found[1]) : null;
}

/** The recorded events around `eventId`, one line each (`  5 UpsertWorkflowSearchAttributes SagaStatus, ...`). */
export function eventsAround(history: History, eventId: number, radius = 2): string[] {
  return (history.events ?? [])
    .filter((e) => Math.abs(Number(e.eventId) - eventId) <= radius)
    .map(
      (e) =>
        `${Number(e.eventId) === eventId ? '>' : ' '} ${String(e.eventId).padStart(3)} ${describeEvent(e)}`,
    );
}

export function describeEvent(event: HistoryEvent): string {
  const type = eventTypeName(event.eventType);
  const detail =
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    (event.timerStartedEventAttributes
      ? `timer ${event.timerStartedEventAttributes.timerId} (${seconds(event.timerStartedEventAttributes.startToFireTimeout)})`
      : undefined) ??
    event.markerRecordedEventAttributes?.markerName ??
    event.workflowExecutionSignaledEventAttributes?.signalName ??
    event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
    Object.keys(
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
    ).join(', ');
  return detail ? `${type} ${detail}` : type;
}

function eventTypeName(type: HistoryEvent['eventType']): string {
  const name = typeof type === 'number' ? temporal.api.enums.v1.EventType[type] : String(type ?? 'UNKNOWN');
  return (name ?? 'UNKNOWN')
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase());
}

function seconds(duration: { seconds?: unknown } | null | undefined): string {
  return `${Number(duration?.seconds ?? 0)}s`;
}
