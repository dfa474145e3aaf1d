import { renderReason, TABLES } from '../core/messages/render.ts';
import { REASON_PARAMS, type Reason } from '../schema/reasons.ts';

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

/**
 * The answer as JSON with `text` added to every reason (`{ code, params }`) in it, in `locale`.
 * A replacer rather than a walk that writes into the answer: reasons may be shared or frozen
 * (the "set by hand" reason is one object), and the answer is serialised once either way.
 */
export function withReasonTexts(answer: unknown, locale: string, currency: string): string {
  return JSON.stringify(answer, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && isReason(value as Record<string, unknown>)
      ? { ...value, text: renderReason(value as Reason, locale, currency) }
      : value,
  );
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
  return new Response(withReasonTexts(answer, locale, currency), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-language': locale,
      vary: 'Accept-Language',
    },
  });
}
