/**
 * Registers a tag unless it is taken, so that importing a define module twice (or two bundles that
 * both carry it) is harmless, and does nothing where there is no custom element registry (a
 * server, a worker), so that the modules can be imported anywhere.
 */
export function define(tag: string, element: CustomElementConstructor): void {
  const registry = globalThis.customElements;
  if (registry && !registry.get(tag)) registry.define(tag, element);
}
