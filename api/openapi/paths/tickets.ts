/** Tickets (api/routes/tickets.ts, GETs: api/gateway/read-routes.ts). */
import { z } from 'zod';
import { ticketNumberParamsSchema } from '../../schemas/ticket';
import { ticketBody, ticketUsedBody, ticketValidationBody } from '../bodies/resources';
import { failure, json, operation, SURFACES } from '../operation';
import { badId, idPath, notFound, READ_MODEL_NOTE } from './reads';

const tags = ['Tickets'];

export const ticketOperations = [
  operation('get', '/api/tickets/{id}', ['gateway'], {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'getTicket',
    summary: 'A ticket',
    description: READ_MODEL_NOTE,
    requestParams: { path: idPath },
    responses: { 200: json('The ticket', ticketBody), 400: badId, 404: notFound('TicketNotFound') },
  }),
  operation('get', '/api/tickets/by-number/{ticketNumber}', ['gateway'], {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'getTicketByNumber',
    summary: 'A ticket by its number',
    description: READ_MODEL_NOTE,
    requestParams: { path: ticketNumberParamsSchema },
    responses: {
      200: json('The ticket', ticketBody),
      400: failure('ValidationFailed: not a ticket number like TKT-20250108123456-1234'),
      404: notFound('TicketNotFound'),
    },
  }),
  operation('post', '/api/tickets/{id}/validate', SURFACES, {
    roles: ['staff', 'admin'],
    tags,
    operationId: 'validateTicket',
    summary: 'May this ticket enter now? (reads the write database, never the read model)',
    requestParams: { path: idPath },
    responses: {
      200: json('Valid, or not valid with a `reason`', ticketValidationBody),
      400: badId,
      404: failure('TicketNotFound'),
    },
  }),
  operation('post', '/api/tickets/{id}/use', SURFACES, {
    roles: ['staff', 'admin'],
    tags,
    operationId: 'useTicket',
    summary: 'Mark the ticket used at the door (once: a second scan is refused)',
    requestParams: { path: idPath },
    responses: {
      200: json('Used now', ticketUsedBody),
      400: badId,
      404: failure('TicketNotFound'),
      409: failure('TicketAlreadyUsed, TicketVoided, TicketRefunded'),
    },
  }),
  operation('get', '/api/customers/{id}/tickets', ['gateway'], {
    roles: ['customer', 'admin'],
    ownData: true,
    tags,
    operationId: 'listCustomerTickets',
    summary: "A customer's tickets (gateway only: read model)",
    requestParams: { path: idPath },
    responses: {
      200: json('The tickets, possibly none', z.array(ticketBody)),
      400: failure('ValidationFailed: a malformed customer id'),
    },
  }),
];
