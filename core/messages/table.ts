import type { ReasonCode } from '../../schema/reasons.ts';

/**
 * One language's words for the reasons: adding a language is adding one of these (and naming it
 * in `core/messages/index.ts`).
 *
 * A message is text with placeholders for the reason's parameters: `{name}` as it is (a number
 * through Intl), `{name|%}` a share, `{name|$}` money, `{name|date}` a date, `{name|day}` days
 * and `{name|dur}` days as the largest fitting unit (Intl units, plural included), `{name|list}`
 * and `{name|stages}` lists (Intl.ListFormat), `{name|counts}` counts of nouns, `{name|stage}`
 * and `{name|word}` a stage or a word of this table, `{name|reasons}` nested reasons,
 * `{name#noun}` a count with the noun's plural form (Intl.PluralRules). A part in `[…]` is left
 * out when a parameter in it is null.
 */
export interface MessageTable {
  reasons: Record<ReasonCode, string>;
  /** Plural forms by Intl.PluralRules category; `#` is the number. `other` is required. */
  nouns: Record<string, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>;
  /** Closed words a reason names: a basis (revenue, margin), a period, a kind of client. */
  words: Record<string, string>;
  /** Stage names of both stage models (docs/domain.md 1). */
  stages: Record<string, string>;
  /** Joins nested reasons. */
  separator: string;
}
