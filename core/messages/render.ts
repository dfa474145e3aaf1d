import type { Reason } from '../../schema/reasons.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';
import type { MessageTable } from './table.ts';

/** The languages with a table; any other locale reads English. A third language is one more table here. */
export const TABLES: Readonly<Record<string, MessageTable>> = { en, ru };

/** The table for a BCP 47 locale (`ru-RU` → ru), English when there is none. */
export const tableFor = (locale: string): MessageTable =>
  TABLES[locale.toLowerCase().split('-')[0]!] ?? en;

interface Formatters {
  table: MessageTable;
  number: Intl.NumberFormat;
  percent: Intl.NumberFormat;
  money: Intl.NumberFormat;
  cents: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  plural: Intl.PluralRules;
  list: Intl.ListFormat;
  units: Map<string, Intl.NumberFormat>;
}

const cache = new Map<string, Formatters>();

function formatters(locale: string, currency: string): Formatters {
  const key = `${locale}|${currency}`;
  let f = cache.get(key);
  if (!f) {
    const currencyFormat = (digits?: number) => {
      const whole = digits === undefined ? {} : { maximumFractionDigits: digits };
      try {
        return new Intl.NumberFormat(locale, { style: 'currency', currency, ...whole });
      } catch {
        // A bad currency code must not break a reason: plain numbers then.
        return new Intl.NumberFormat(locale, { maximumFractionDigits: digits ?? 2 });
      }
    };
    f = {
      table: tableFor(locale),
      number: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
      percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
      // Whole units once an amount is large enough that cents are noise.
      money: currencyFormat(0),
      cents: currencyFormat(),
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }),
      plural: new Intl.PluralRules(locale),
      list: new Intl.ListFormat(locale, { type: 'conjunction' }),
      units: new Map(),
    };
    cache.set(key, f);
  }
  return f;
}

function unit(f: Formatters, n: number, name: 'day' | 'month' | 'year', locale: string): string {
  let nf = f.units.get(name);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: name,
      unitDisplay: 'long',
      maximumFractionDigits: 1,
    });
    f.units.set(name, nf);
  }
  return nf.format(n);
}

/** Days as the largest readable unit: "45 days", "5 months", "2.3 years". */
function duration(f: Formatters, days: number, locale: string): string {
  if (days >= 730) return unit(f, days / 365.25, 'year', locale);
  if (days >= 60) return unit(f, Math.round(days / 30.44), 'month', locale);
  return unit(f, Math.round(days), 'day', locale);
}

const noun = (f: Formatters, name: string, n: number): string => {
  const forms = f.table.nouns[name];
  if (!forms) return f.number.format(n);
  const form = forms[f.plural.select(n)] ?? forms.other;
  return form.replace('#', f.number.format(n));
};

const PLACEHOLDER = /\{(\w+)(?:\|(\w+|%|\$)|#(\w+))?\}/g;
const OPTIONAL = /\[([^\]]*)\]/g;

function value(
  f: Formatters,
  locale: string,
  currency: string,
  x: unknown,
  format: string | undefined,
  nounName: string | undefined,
): string {
  if (nounName !== undefined) return noun(f, nounName, Number(x));
  switch (format) {
    case '%':
      return f.percent.format(Number(x));
    case '$':
      return (Math.abs(Number(x)) >= 100 ? f.money : f.cents).format(Number(x));
    case 'date': {
      const ms = Date.parse(String(x));
      return Number.isFinite(ms) ? f.date.format(ms) : String(x);
    }
    case 'day':
      return unit(f, Number(x), 'day', locale);
    case 'dur':
      return duration(f, Number(x), locale);
    case 'list':
      return f.list.format((x as string[]).map(String));
    case 'stage':
      return f.table.stages[String(x)] ?? String(x);
    case 'stages':
      return f.list.format((x as string[]).map((s) => f.table.stages[s] ?? s));
    case 'word':
      return f.table.words[String(x)] ?? String(x);
    case 'counts':
      return f.list.format(
        Object.entries(x as Record<string, number>)
          .filter(([, n]) => n > 0)
          .map(([name, n]) => noun(f, name, n)),
      );
    case 'reasons':
      return (x as Reason[]).map((r) => renderReason(r, locale, currency)).join(f.table.separator);
    default:
      return typeof x === 'number' ? f.number.format(x) : String(x);
  }
}

function fill(
  template: string,
  params: Readonly<Record<string, unknown>>,
  f: Formatters,
  locale: string,
  currency: string,
): string {
  return template.replace(PLACEHOLDER, (_m, name: string, format?: string, nounName?: string) =>
    value(f, locale, currency, params[name], format, nounName),
  );
}

/**
 * A reason as a sentence in `locale` (`en`, `ru-RU`; English for a language without a table),
 * money in `currency`.
 */
export function renderReason(reason: Reason, locale: string, currency = 'USD'): string {
  const f = formatters(locale, currency);
  const params = reason.params as Readonly<Record<string, unknown>>;
  const template = f.table.reasons[reason.code] ?? reason.code;
  const withOptional = template.replace(OPTIONAL, (_m, part: string) => {
    for (const [, name] of part.matchAll(PLACEHOLDER)) if (params[name!] == null) return '';
    return part;
  });
  return fill(withOptional, params, f, locale, currency);
}

/** A count with its noun in `locale`'s plural form: "1 client", "5 клиентов". */
export function countText(n: number, nounName: string, locale: string): string {
  return noun(formatters(locale, 'USD'), nounName, n);
}

/** The placeholders of a message: name, format (`%`, `date`…) and noun, for the tables' test. */
export function placeholders(
  template: string,
): { name: string; format: string | null; noun: string | null; optional: boolean }[] {
  const optional = new Set<number>();
  for (const m of template.matchAll(OPTIONAL))
    for (let i = m.index; i < m.index + m[0].length; i++) optional.add(i);
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({
    name: m[1]!,
    format: m[2] ?? null,
    noun: m[3] ?? null,
    optional: optional.has(m.index),
  }));
}
