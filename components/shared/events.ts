/** Every component event bubbles out of shadow roots so that a page can listen on any ancestor. */
export function emit<K extends keyof HTMLElementEventMap>(
  host: HTMLElement,
  type: K,
  detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
