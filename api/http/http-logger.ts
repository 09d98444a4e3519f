/**
 * Access and error logging with pino-http. Each request gets a child logger (`req.log`) whose
 * lines all carry `requestId`. Only method, path and status are logged: no headers,
 * no bodies, so neither card numbers nor other request data reach the logs by accident.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

interface SerializedRequestLike {
  readonly method?: string;
  readonly url?: string;
}

interface SerializedResponseLike {
  readonly statusCode?: number;
}

export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    // The id was chosen (or accepted) by requestIdMiddleware, which runs first.
    genReqId: (req: IncomingMessage) => req.id,
    // req.log is bound to the request id alone (not the whole request), so every line a handler
    // writes carries it; the node id comes from the logger's own base bindings.
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    serializers: {
      // Standard serializers would add headers (and with them anything a client sends there).
      req: (req: SerializedRequestLike) => ({ method: req.method, url: pathOnly(req.url) }),
      res: (res: SerializedResponseLike) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) => {
      // The load balancer probes /health every second: its answers would drown the access log,
      // and a 503 is no server error (each failing check is warned with its dependency).
      if (pathOnly(req.url) === '/health' && !error) return 'debug';
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
}

/** Query strings are dropped: the API takes no secrets there, but a confused client might send some. */
function pathOnly(url: string | undefined): string | undefined {
  return url?.split('?')[0];
}
