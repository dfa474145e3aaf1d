import { renderReason, TABLES } from '../core/messages/render.ts';
import { REASON_PARAMS, type Reason } from '../schema/reasons.ts';
import { json } from './route.ts';

/**
 * The reader's language from `Accept-Language`: the first (by q, then order) whose primary
 * subtag has a message table, the tag kept whole for Intl (`ru-RU`); English otherwise.
 */
export function localeOf(acceptLanguage: string | null): string {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag !== '' && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.toLowerCase().split('-')[0]!;
    if (!Object.hasOwn(TABLES, primary)) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? primary;
    } catch {
      return primary;
    }
  }
  return 'en';
}

const isReason = (x: Record<string, unknown>): boolean =>
  typeof x.code === 'string' &&
  Object.hasOwn(REASON_PARAMS, x.code) &&
  typeof x.params === 'object' &&
  x.params !== null;

/** Adds `text` to every reason (`{ code, params }`) in the answer, in place. */
export function addReasonTexts(answer: unknown, locale: string, currency: string): void {
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const item of x) if (typeof item === 'object' && item !== null) visit(item);
      return;
    }
    if (typeof x !== 'object' || x === null) return;
    const o = x as Record<string, unknown>;
    if (isReason(o)) o.text = renderReason(o as unknown as Reason, locale, currency);
    for (const key in o) {
      const value = o[key];
      if (typeof value === 'object' && value !== null) visit(value);
    }
  };
  visit(answer);
}

/**
 * A JSON answer whose reasons speak the reader's language: `Content-Language` says which, and
 * `Vary: Accept-Language` keeps caches from serving it to readers of another.
 */
export function explainedJson(
  answer: unknown,
  acceptLanguage: string | null,
  currency: string,
): Response {
  const locale = localeOf(acceptLanguage);
  addReasonTexts(answer, locale, currency);
  return json(answer, {
    headers: { 'content-language': locale, vary: 'Accept-Language' },
  });
}
