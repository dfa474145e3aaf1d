import type { IRequest } from 'itty-router';
import type * as v from 'valibot';
import type { Access, AuthContext } from './auth.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Schema = v.GenericSchema;
type Out<S> = S extends Schema ? v.InferOutput<S> : undefined;
/** One schema per `:param` of a route's path. */
type Params = Record<string, v.GenericSchema<string>>;
/** The validated path parameters: exactly those the route's spec declares. */
type ParamsOut<P> = P extends Params
  ? { [K in keyof P]: v.InferOutput<P[K]> }
  : Record<never, never>;

interface BaseContext {
  request: IRequest;
  env: Env;
  ctx: ExecutionContext;
  /** The request's clock, read once so that one request sees one instant. */
  now: string;
}
export type RouteContext<
  A extends Access,
  B = undefined,
  Q = undefined,
  P = undefined,
> = BaseContext &
  (A extends { admin: true }
    ? {
        /** Undefined when the admin token called. */ auth?: AuthContext;
        /** The key's workspace's data database; undefined when the admin token called. */
        db?: D1Database;
      }
    : A extends { keys: readonly unknown[] }
      ? {
          auth: AuthContext;
          /**
           * The workspace's data database (worker/databases.ts): every query of the workspace's
           * data goes here; `env.DB` is the control database (workspaces, keys, sessions, jobs).
           */
          db: D1Database;
        }
      : { auth?: undefined; db?: undefined }) & {
    /** The body, validated by the route's `body` schema before the handler runs. */
    body: Out<B>;
    /** The query string, validated by the route's `query` schema. */
    query: Out<Q>;
    /** The path parameters, validated by the route's `params` schemas. */
    params: ParamsOut<P>;
  };

/**
 * How a widget session scoped to one client or one manager may use a route. `{ clientParam }`:
 * the route reads the client named by that path parameter, and the router answers 404 for any
 * other client. `'stateless'`: the route reads no stored data. `'filtered'`: the handler narrows
 * its answer to `auth.session` itself. A route without it refuses scoped sessions (403).
 */
export type WidgetScopeRule = { clientParam: string } | 'stateless' | 'filtered';

export interface RouteSpec<
  A extends Access = Access,
  B extends Schema | null | undefined = Schema | null | undefined,
  Q extends Schema | undefined = Schema | undefined,
  P extends Params | undefined = Params | undefined,
> {
  method: Method;
  /** itty-router pattern, e.g. `/v1/clients/:id`. */
  path: string;
  access: A;
  summary: string;
  /** Longer prose for the OpenAPI document. */
  description?: string;
  /** OpenAPI tags; the first path segment after /v1 when left out. */
  tags?: string[];
  /** One schema per `:param` of the path; the router validates them before the handler runs. */
  params?: P;
  /** The query string as an object schema of string values; validated by the router. */
  query?: Q;
  /** The request body, validated by the router; `null` declares that the route takes none. */
  body?: B;
  /** Media type of the body when it is not JSON (e.g. `text/csv`; the schema then validates the text). */
  bodyMediaType?: string;
  /** The handler reads the body as a stream itself (large uploads); `body` then only documents it. */
  streamed?: boolean;
  /** Success answers: status → body schema (`null` for an empty body, e.g. 204). */
  responses?: Partial<Record<200 | 201 | 202 | 204, Schema | null>>;
  /** Errors specific to this route beyond those the router documents itself (400, 401, 403, 404, 413, 415…), with when they happen. */
  errors?: Partial<Record<number, string>>;
  /** Examples for the OpenAPI document; each is checked against its schema by a test. */
  examples?: { body?: unknown; response?: unknown };
  /** Accepts an `Idempotency-Key` header with Stripe's semantics (see worker/idempotency.ts). */
  idempotent?: boolean;
  widgetScope?: WidgetScopeRule;
  /** Returns the answer, or a promise of it. */
  handle(c: RouteContext<A, B, Q, P>): unknown;
}

/** Declares a route; the router and the OpenAPI document are both built from these specs. */
export const route = <
  A extends Access,
  B extends Schema | null | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Params | undefined = undefined,
>(
  spec: RouteSpec<A, B, Q, P>,
): RouteSpec => spec;

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { ...init, headers });
}
