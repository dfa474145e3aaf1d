/**
 * Sets a numeric custom property (`--size`, `--level`) on each element of `root` that carries
 * `attr`, looked up by that attribute's value. A strict Content-Security-Policy
 * (`style-src 'self'`) blocks a `style` attribute written in a template, but not a property set
 * through the CSSOM, so components call this from `updated()` instead of binding `style`.
 */
export function setCustomProperties(
  root: Element | DocumentFragment,
  attr: string,
  name: string,
  values: ReadonlyMap<string, number>,
): void {
  for (const el of root.querySelectorAll<HTMLElement>(`[${attr}]`)) {
    const value = values.get(el.getAttribute(attr)!);
    if (value === undefined) el.style.removeProperty(name);
    else el.style.setProperty(name, String(value));
  }
}
