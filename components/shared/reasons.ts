import { renderReason, tableFor } from '../../core/messages/render.ts';
import type { Reason } from '../../schema/reasons.ts';
import type { I18n } from './folio-element.ts';

/** A reason as the API sends it; an older API sent sentences. */
export type ReasonLike = { code: string; params: object; text?: string } | string;

/**
 * A reason in the page's language, rendered here from its code and parameters with the same
 * message tables the API uses, so no sentence is written twice. A code this version does not
 * know (a newer API) shows the API's own text.
 */
export function reasonText(reason: ReasonLike, { locale, currency }: I18n): string {
  if (typeof reason === 'string') return reason;
  if (!Object.hasOwn(tableFor(locale).reasons, reason.code)) return reason.text ?? reason.code;
  return renderReason(reason as Reason, locale, currency);
}
