/**
 * The drift check between the OpenAPI document and the running servers:
 *
 * - `Contract.check` validates one real answer against the document: the route and method are
 *   documented, the status is one the operation lists (or its `default`), every required response
 *   header is present, and the JSON body matches the response schema (ajv, JSON Schema 2020-12,
 *   formats checked). It records which documented responses were seen.
 * - `ContractClient` sends requests to a server and checks every answer that way, sending a fresh
 *   X-Request-Id with each request and expecting it back.
 * - `Contract.unexercised` lists the documented responses no test produced, so a status added to
 *   the document must be exercised (or exempted with a reason).
 * - `expressRoutes` lists the routes an express app really has, to compare with the document.
 */
import { randomUUID } from 'node:crypto';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import type { Role } from '../../../api/auth';
import { bearer } from '../../support/auth';

type JsonObject = Record<string, unknown>;

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
}

const DOC_ID = 'openapi.json';
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: Route[] = [];
  private readonly seen = new Set<string>();

  readonly document: JsonObject;

  constructor(document: object) {
    this.document = document as JsonObject;
    addFormats(this.ajv);
    this.ajv.addSchema(structuredClone(document), DOC_ID);
    for (const [template, item] of Object.entries(this.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(item)) this.routes.push({ method, template, pattern });
    }
  }

  private get paths(): Record<string, Record<string, JsonObject>> {
    return this.document.paths as Record<string, Record<string, JsonObject>>;
  }

  /** `GET /api/tickets/{id}` for every documented operation. */
  operations(): string[] {
    return this.routes.map((r) => `${r.method.toUpperCase()} ${r.template}`).sort();
  }

  /** `GET /api/tickets/{id} 404` for every documented response except `default`. */
  responses(): string[] {
    return this.routes
      .flatMap((r) =>
        Object.keys(this.paths[r.template]![r.method]!.responses as JsonObject)
          .filter((status) => status !== 'default')
          .map((status) => `${r.method.toUpperCase()} ${r.template} ${status}`),
      )
      .sort();
  }

  /**
   * The documented responses never seen, minus the exempted ones (each with its reason); an
   * exemption for a response that was seen after all is reported too, so the list stays honest.
   */
  unexercised(exempt: Readonly<Record<string, string>>): { missing: string[]; seenButExempt: string[] } {
    const documented = this.responses();
    return {
      missing: documented.filter((r) => !this.seen.has(r) && !(r in exempt)),
      seenButExempt: Object.keys(exempt).filter((r) => this.seen.has(r) || !documented.includes(r)),
    };
  }

  private route(method: string, path: string): Route | undefined {
    return (
      this.routes
        .filter((r) => r.method === method.toLowerCase() && r.pattern.test(path))
        // A literal segment beats a parameter (`/by-number/{n}` over `/{id}` if both matched).
        .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0]
    );
  }

  /** The roles the document says may call the operation at `path` (empty: public). */
  roles(method: string, path: string): Role[] {
    const route = this.route(method, path);
    if (!route) return [];
    return (this.paths[route.template]![route.method]!['x-roles'] ?? []) as Role[];
  }

  /** Every guarded operation as `[method, template, roles]`. */
  guarded(): [method: string, template: string, roles: Role[]][] {
    return this.routes
      .map((r): [string, string, Role[]] => [
        r.method,
        r.template,
        (this.paths[r.template]![r.method]!['x-roles'] ?? []) as Role[],
      ])
      .filter(([, , roles]) => roles.length > 0);
  }

  /** Validates one answer; throws an Error saying what does not match. Returns the operation. */
  check(method: string, path: string, answer: Answer): string {
    const route = this.route(method, path);
    if (!route) throw new Error(`${method} ${path} is not in the document`);
    const operation = `${method.toUpperCase()} ${route.template}`;
    const responses = this.paths[route.template]![route.method]!.responses as JsonObject;
    const key = String(answer.status) in responses ? String(answer.status) : 'default';
    if (!(key in responses)) throw new Error(`${operation}: status ${answer.status} is not documented`);
    const where = `${operation} ${answer.status}`;
    const at = this.follow(`#/paths/${pointer(route.template, route.method, 'responses', key)}`);
    const response = this.at(at);

    for (const name of Object.keys((response.headers ?? {}) as JsonObject)) {
      const spec = this.at(this.follow(`${at}/headers/${pointer(name)}`));
      if (spec.required === true && !answer.headers.has(name)) {
        throw new Error(`${where}: header ${name} is missing`);
      }
    }
    const content = response.content as Record<string, JsonObject> | undefined;
    if (content?.['application/json']) {
      if (!/^application\/json\b/.test(answer.headers.get('content-type') ?? '')) {
        throw new Error(`${where}: content-type ${answer.headers.get('content-type')} is not JSON`);
      }
      const validate = this.validator(`${DOC_ID}${at}/${pointer('content', 'application/json', 'schema')}`);
      if (!validate(answer.body)) {
        throw new Error(
          `${where}: the body does not match the document:\n${this.ajv.errorsText(validate.errors, { separator: '\n' })}\n` +
            `body: ${JSON.stringify(answer.body).slice(0, 2000)}`,
        );
      }
    }
    this.seen.add(`${operation} ${key}`);
    return operation;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }

  /** The node at a local JSON pointer (`#/paths/...`) of the document. */
  private at(ref: string): JsonObject {
    let node: unknown = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      node = (node as JsonObject | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    if (typeof node !== 'object' || node === null) throw new Error(`nothing at ${ref}`);
    return node as JsonObject;
  }

  /** The pointer a node's `$ref` chain ends at (`#/components/responses/...`), or its own. */
  private follow(ref: string): string {
    const next = this.at(ref).$ref;
    return typeof next === 'string' ? this.follow(next) : ref;
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** Already checked against the document, so tests read its fields directly. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface CallOptions {
  /** A JSON body (sent as application/json). */
  readonly body?: unknown;
  /** A raw body sent as application/json as is (for malformed JSON). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The `Authorization` value; `null` sends none. By default a caller the document says may call
   * the operation: the body's customer for a purchase or a hold, staff for the door, an
   * administrator for everything else (it sees every customer's data).
   */
  readonly as?: string | null;
}

/** Sends requests to one server and checks every answer against the contract. */
export class ContractClient {
  constructor(
    readonly baseUrl: string,
    readonly contract: Contract,
  ) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const requestId = options.headers?.['X-Request-Id'] ?? `contract-${randomUUID()}`;
    const hasBody = options.body !== undefined || options.raw !== undefined;
    const authorization =
      options.as === undefined ? this.defaultCaller(method, path, options.body) : options.as;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'X-Request-Id': requestId,
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...(authorization === null ? {} : { Authorization: authorization }),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    const json = /^application\/json\b/.test(res.headers.get('content-type') ?? '');
    const answer: Answer = { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text };
    this.contract.check(method, new URL(path, 'http://x').pathname, answer);
    if (res.headers.get('x-request-id') !== requestId) {
      throw new Error(
        `${method} ${path}: X-Request-Id ${res.headers.get('x-request-id')} is not ${requestId}`,
      );
    }
    return answer;
  }

  private defaultCaller(method: string, path: string, body: unknown): string | null {
    const roles = this.contract.roles(method, new URL(path, 'http://x').pathname);
    if (roles.length === 0) return null;
    if (roles.includes('staff')) return bearer('door-contract', 'staff');
    if (roles.includes('admin')) return bearer('admin-contract', 'admin');
    const customerId = (body as { customerId?: unknown } | undefined)?.customerId;
    return bearer(typeof customerId === 'string' ? customerId : 'customer-contract', 'customer');
  }

  get = (path: string, options?: CallOptions) => this.call('GET', path, options);
  post = (path: string, options?: CallOptions) => this.call('POST', path, options);
}

interface Layer {
  readonly name?: string;
  readonly slash?: boolean;
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/**
 * `GET /api/tickets/{id}` for every route of an express 5 app, including those of routers
 * mounted at the root. A router mounted under a path would need that prefix: refuse it rather
 * than list wrong paths.
 */
export function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: readonly Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.name === 'router' && layer.handle?.stack) {
        if (layer.slash !== true)
          throw new Error('a router mounted under a path: teach expressRoutes its prefix');
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: readonly Layer[] } }).router.stack);
  return found.sort();
}
