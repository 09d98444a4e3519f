/**
 * Custom search attributes of the purchase saga: the Temporal Web UI lists and filters purchases
 * by them, and `temporal workflow list --query` uses them. The dev server registers exactly these
 * at start (scripts/infra), so this list is the single source of truth.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SagaStatus = defineSearchAttributeKey('SagaStatus', SearchAttributeType.KEYWORD);
export const CurrentStep = defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD);
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const ShowtimeId = defineSearchAttributeKey('ShowtimeId', SearchAttributeType.KEYWORD);
/** The `TicketNumber` search attribute (named apart from the domain's TicketNumber value object). */
export const TicketNumberAttribute = defineSearchAttributeKey('TicketNumber', SearchAttributeType.KEYWORD);
export const RequestId = defineSearchAttributeKey('RequestId', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  SagaStatus,
  CurrentStep,
  CustomerId,
  ShowtimeId,
  TicketNumberAttribute,
  RequestId,
];

/** `Name=Type` pairs in the form `temporal server start-dev --search-attribute` takes. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = {
    KEYWORD: 'Keyword',
    TEXT: 'Text',
    INT: 'Int',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    DOUBLE: 'Double',
    KEYWORD_LIST: 'KeywordList',
  };
  return ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliType[k.type] ?? 'Keyword'}`);
}
