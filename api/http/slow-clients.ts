/**
 * Every HTTP server of the stack (gateway, load balancer, API nodes) gives a client a bounded time
 * to send its headers and its whole request (Node's `headersTimeout` / `requestTimeout`), so slow
 * or stalled clients can't hold sockets open, and answers what Node's HTTP parser refuses (a NUL
 * in a header, a header block too large, a timeout) with the API's error JSON instead of a bare
 * status line.
 */
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../../config';
import { ApiError } from './api-error';

export type SlowClientConfig = Pick<Config, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS'>;

/** Server options with the timeouts; Node checks them every connectionsCheckingInterval. */
export function slowClientOptions(config: SlowClientConfig): ServerOptions {
  return {
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    // Node requires requestTimeout >= headersTimeout (0 would mean none).
    requestTimeout: Math.max(config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_HEADERS_TIMEOUT_MS),
    // Default 30 s: a 10 s limit would then be enforced anywhere between 10 and 40 s.
    connectionsCheckingInterval: Math.min(1000, Math.ceil(config.HTTP_HEADERS_TIMEOUT_MS / 2)),
  };
}

/** An HTTP server for `listener` with the timeouts and the JSON answer to unparseable requests. */
export function createGuardedServer(listener: RequestListener, config: SlowClientConfig): Server {
  return answerClientErrorsWithJson(createServer(slowClientOptions(config), listener));
}

export function answerClientErrorsWithJson(server: Server): Server {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (
      !socket.writable ||
      (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    ) {
      socket.destroy();
      return;
    }
    const refusal = clientErrorAnswer(error.code);
    const body = JSON.stringify(refusal.toBody());
    socket.end(
      `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
  return server;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

function clientErrorAnswer(code: string | undefined): ApiError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'RequestTimeout', 'The request took too long to arrive');
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'HeadersTooLarge', 'The request headers are too large');
    default:
      return new ApiError(400, 'BadRequest', 'The request is not valid HTTP');
  }
}
