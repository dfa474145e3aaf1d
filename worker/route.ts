import type { IRequest } from 'itty-router';
import type { Access, AuthContext } from './auth.ts';
import type { Env } from './env.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface BaseContext {
  request: IRequest;
  env: Env;
  ctx: ExecutionContext;
  /** The request's clock, read once so that one request sees one instant. */
  now: string;
}
export type RouteContext<A extends Access> = BaseContext & (A extends { keys: readonly unknown[] } ? { auth: AuthContext } : { auth?: undefined });

export interface RouteSpec<A extends Access = Access> {
  method: Method;
  /** itty-router pattern, e.g. `/v1/clients/:id`. */
  path: string;
  access: A;
  summary: string;
  handle(c: RouteContext<A>): Promise<unknown> | unknown;
}

/** Declares a route; the router and the OpenAPI document are both built from these specs. */
export const route = <A extends Access>(spec: RouteSpec<A>): RouteSpec => spec as unknown as RouteSpec;

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { ...init, headers });
}
