// Helpers for the browser tests of the components (not shipped: nothing but tests imports this).
import axe from 'axe-core';
import { expect, vi } from 'vitest';

interface MountOptions {
  attrs?: Record<string, string>;
  /** The `lang` of a wrapping element, to test that the locale is inherited. */
  lang?: string;
}

/** Creates the element, lets `setup` set properties before it connects, attaches it and waits for its first render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  setup?: (el: HTMLElementTagNameMap[K]) => void,
  { attrs = {}, lang }: MountOptions = {},
): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  setup?.(el);
  const wrapper = document.createElement('div');
  if (lang) wrapper.lang = lang;
  wrapper.append(el);
  document.body.appendChild(wrapper);
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return el;
}

export const root = (el: Element): ShadowRoot => {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
};

export const part = (el: Element, name: string): HTMLElement | null =>
  root(el).querySelector(`[part~="${name}"]`);
export const parts = (el: Element, name: string): HTMLElement[] => [
  ...root(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
// Collapses the template's whitespace but keeps the no-break spaces Intl puts in numbers.
export const text = (node: Element | null): string =>
  (node?.textContent ?? '').replace(/[ \t\r\n]+/g, ' ').trim();

export function json(body: unknown, status = 200, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

export function problem(status: number, title: string, detail: string): Response {
  return json({ type: 'about:blank', title, status, detail }, status, 'application/problem+json');
}

/** The URL a `fetch` was called with, whichever form it took. */
export const urlOf = (input: RequestInfo | URL): string =>
  input instanceof Request ? input.url : String(input);

/** Replaces `fetch` for one test; the spy records the URL and init of every call. */
export function stubFetch(
  answer: (url: string, init: RequestInit | undefined) => Response | Promise<Response>,
) {
  return vi
    .spyOn(globalThis, 'fetch')
    .mockImplementation(async (input, init) => answer(urlOf(input), init));
}

export const headerOf = (init: RequestInit | undefined, name: string): string | undefined =>
  (init?.headers as Record<string, string> | undefined)?.[name];

export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Collects the events of one type that reach the document, which proves they bubble and cross shadow roots. */
export function collect<K extends keyof HTMLElementEventMap>(type: K): HTMLElementEventMap[K][] {
  const seen: HTMLElementEventMap[K][] = [];
  const listener = (e: Event) => void seen.push(e as HTMLElementEventMap[K]);
  document.addEventListener(type, listener);
  listeners.push(() => document.removeEventListener(type, listener));
  return seen;
}
const listeners: (() => void)[] = [];

/** Between tests: detach everything, drop listeners and restore fetch. */
export function cleanup(): void {
  document.body.replaceChildren();
  for (const off of listeners.splice(0)) off();
  vi.restoreAllMocks();
}

/** Runs axe-core on the element, shadow DOM included, and expects no violation. */
export async function expectAccessible(el: Element): Promise<void> {
  const result = await axe.run(el, { resultTypes: ['violations'] });
  const found = result.violations.map(
    (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
  expect(found).toEqual([]);
}
