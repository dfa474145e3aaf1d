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
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.key) headers.authorization = `Bearer ${req.key}`;
    let next: ApiState<T>;
    try {
      const res = await fetch(urlOf(req), { headers, signal });
      const body = await readJson(res);
      next = res.ok ? { status: 'ready', value: body as T } : { status: 'error', message: problemMessage(body), httpStatus: res.status };
    } catch {
      next = { status: 'error', message: null, httpStatus: null };
    }
    // A superseded or detached request must leave the element as it is.
    if (signal.aborted) return;
    this.#abort = null;
    this.#set(next);
  }

  #set(state: ApiState<T>): void {
    this.state = state;
    this.#host.requestUpdate();
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
