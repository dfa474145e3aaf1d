/** The languages our message tables cover; any other `lang` falls back to English. */
export type Lang = 'en' | 'ru';

/**
 * The `lang` in force for an element: its own attribute or the nearest ancestor's, crossing
 * shadow roots, so that a component nested inside another (the badge inside the card) follows
 * the page around its host.
 */
export function langOf(el: Element): string {
  let node: Node | null = el;
  while (node) {
    // nodeType rather than instanceof: the element may come from another realm (an iframe).
    if (node.nodeType === 1) {
      const lang = (node as Element).getAttribute('lang');
      if (lang) return canonical(lang);
    }
    node = node.parentNode ?? (node as ShadowRoot).host ?? null;
  }
  return 'en';
}

function canonical(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    // A malformed lang attribute must not break rendering.
    return 'en';
  }
}

export const languageOf = (locale: string): Lang =>
  locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
