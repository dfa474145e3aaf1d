import { countText } from '../../core/messages/render.ts';
import { LitElement, type PropertyDeclarations } from 'lit';
import { formatFor, type Format } from './format.ts';
import { langOf, languageOf, type Lang } from './locale.ts';
import { translator, type Translate } from './messages.ts';

export interface I18n {
  t: Translate;
  f: Format;
  lang: Lang;
  locale: string;
  /** The money of the data (or the `currency` attribute), for the reasons rendered here. */
  currency: string;
  /** A count with its noun, plural by Intl.PluralRules: `count(5, 'client')` → "5 клиентов". */
  count(n: number, noun: string): string;
}

/**
 * The language and money settings every component shares. The element's own `lang` attribute is
 * observed (under another property name, so the native `lang` property stays untouched); a `lang`
 * further up the page is read at render time.
 */
export class FolioElement extends LitElement {
  static override properties: PropertyDeclarations = {
    currency: {},
    langAttribute: { attribute: 'lang' },
  };

  static {
    // A fetch starts after an update (never during render) when api-base, key or the query
    // change, so showing its loading state takes one more update: intended, not the waste Lit's
    // development build warns about.
    this.disableWarning?.('change-in-update');
  }

  /** ISO 4217 code used when the data names no currency; USD by default. */
  declare currency?: string;
  /** The `lang` attribute: `ru…` for Russian, anything else English; without it, the nearest ancestor's `lang` rules. */
  declare protected langAttribute?: string;

  protected i18n(dataCurrency?: unknown): I18n {
    const locale = langOf(this);
    const lang = languageOf(locale);
    const currency =
      typeof dataCurrency === 'string' && dataCurrency ? dataCurrency : this.currency || 'USD';
    return {
      t: translator(lang),
      f: formatFor(locale, currency),
      lang,
      locale,
      currency,
      count: (n, noun) => countText(n, noun, locale),
    };
  }
}
