import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Where a component reads its data: `{api-base}{path}` with the publishable key or widget token. */
export interface ApiRequest {
  base: string;
  path: string;
  key?: string | null | undefined;
}

export type ApiState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  /** `message` is the problem+json `detail` (or `title`) when the API sent one. */
  | { status: 'error'; message: string | null; httpStatus: number | null };

export const urlOf = (req: ApiRequest): string => `${req.base.replace(/\/+$/, '')}${req.path}`;

/** `path?name=value&…` with the parameters that have a value, or `path` alone when none has. */
export function withQuery(
  path: string,
  params: Record<string, string | number | null | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value != null && value !== '') query.set(name, String(value));
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Fetches a component's data whenever its request changes: on connect and after an update (never
 * in the constructor or render), aborting the previous fetch when the inputs change or the element
 * leaves the page. `request()` returns null when there is nothing to fetch, e.g. because the
 * `data` property was set, which always wins over the API.
 */
export class ApiController<T> implements ReactiveController {
  state: ApiState<T> = { status: 'idle' };
  #host: ReactiveControllerHost;
  #request: () => ApiRequest | null;
  #current = '';
  #abort: AbortController | null = null;
  #pending: Promise<void> = Promise.resolve();

  constructor(host: ReactiveControllerHost, request: () => ApiRequest | null) {
    this.#host = host;
    this.#request = request;
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  hostUpdated(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    if (!this.#abort) return;
    this.#abort.abort();
    this.#abort = null;
    // Forget the unfinished request so that re-attaching the element fetches again.
    this.#current = '';
  }

  /** Settles when the latest fetch has finished (or was abandoned); never rejects. */
  get settled(): Promise<void> {
    return this.#pending;
  }

  #sync(): void {
    const req = this.#request();
    const id = req ? `${urlOf(req)}\n${req.key ?? ''}` : '';
    if (id === this.#current) return;
    this.#abort?.abort();
    this.#abort = null;
    this.#current = id;
    if (req) this.#pending = this.#load(req, (this.#abort = new AbortController()).signal);
    else if (this.state.status !== 'idle') this.#set({ status: 'idle' });
  }

  async #load(req: ApiRequest, signal: AbortSignal): Promise<void> {
    this.#set({ status: 'loading' });
    const reply = await send(req, { signal });
    // A superseded or detached request must leave the element as it is.
    if (signal.aborted) return;
    this.#abort = null;
    this.#set(
      reply.ok
        ? { status: 'ready', value: reply.body as T }
        : { status: 'error', message: reply.message, httpStatus: reply.httpStatus },
    );
  }

  #set(state: ApiState<T>): void {
    this.state = state;
    this.#host.requestUpdate();
  }
}

export type Reply =
  { ok: true; body: unknown } | { ok: false; message: string | null; httpStatus: number | null };

/**
 * One request to the API as the components make it: JSON both ways, the key as a bearer token.
 * Never rejects: a network failure is a reply without an HTTP status.
 */
export async function send(req: ApiRequest, init: RequestInit = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body) headers['content-type'] = 'application/json';
  if (req.key) headers.authorization = `Bearer ${req.key}`;
  try {
    const res = await fetch(urlOf(req), { ...init, headers });
    const body = await readJson(res);
    return res.ok
      ? { ok: true, body }
      : { ok: false, message: problemMessage(body), httpStatus: res.status };
  } catch {
    return { ok: false, message: null, httpStatus: null };
  }
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function problemMessage(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const { detail, title } = body as { detail?: unknown; title?: unknown };
  if (typeof detail === 'string' && detail) return detail;
  return typeof title === 'string' && title ? title : null;
}
