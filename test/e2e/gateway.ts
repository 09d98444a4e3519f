/** JSON requests to the stack's gateway, answered with status, parsed body and the headers a test reads. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string | null;
  readonly requestId: string | null;
}

export interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export async function send(gateway: string, req: Request): Promise<Answer> {
  const res = await fetch(`${gateway}${req.path}`, {
    method: req.method,
    headers: req.body === undefined ? req.headers : { 'content-type': 'application/json', ...req.headers },
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    contentType: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
  };
}

/** A JSON object answer's fields, for reading ids out of it (the assertions check its shape). */
export const fields = (a: Answer): Record<string, unknown> => a.body as Record<string, unknown>;
