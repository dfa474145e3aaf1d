import type { ActionItem, ActionKind } from '../../schema/actions.ts';
import type { Format } from '../shared/format.ts';
import type { Translate } from '../shared/messages.ts';
import { DUE_GROUPS, KIND_ORDER, KINDS, REASONS } from './messages.ts';

export type GroupBy = 'kind' | 'due';
export const DUE_BUCKETS = ['overdue', 'today', 'week', 'later'] as const;
export type DueBucket = (typeof DUE_BUCKETS)[number];

export interface Group {
  key: string;
  label: string;
  items: ActionItem[];
}

const DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(iso) / DAY);

/** Where an item falls relative to the list's `asOf`, by UTC calendar day. */
export function dueBucket(item: Pick<ActionItem, 'dueAt'>, asOf: string): DueBucket {
  const days = dayOf(item.dueAt) - dayOf(asOf);
  return days < 0 ? 'overdue' : days === 0 ? 'today' : days <= 7 ? 'week' : 'later';
}

/** The items in groups, in the API's order within each group; empty groups are left out. */
export function groupItems(
  items: readonly ActionItem[],
  by: GroupBy,
  asOf: string,
  t: Translate,
): Group[] {
  const keys: readonly string[] = by === 'kind' ? KIND_ORDER : DUE_BUCKETS;
  const buckets = new Map<string, ActionItem[]>(keys.map((k) => [k, []]));
  const extra: string[] = [];
  for (const item of items) {
    const key = by === 'kind' ? item.kind : dueBucket(item, asOf);
    let list = buckets.get(key);
    // A kind this version does not know yet still gets a group, after the known ones.
    if (!list) {
      list = [];
      buckets.set(key, list);
      extra.push(key);
    }
    list.push(item);
  }
  return [...keys, ...extra]
    .filter((k) => buckets.get(k)!.length > 0)
    .map((key) => ({
      key,
      label: by === 'kind' ? kindLabel(key, t) : t(...DUE_GROUPS[key as DueBucket]),
      items: buckets.get(key)!,
    }));
}

/** What to do; a kind this version does not know yet reads as its id, `new_kind` as "new kind". */
export const kindLabel = (kind: string, t: Translate): string =>
  Object.hasOwn(KINDS, kind) ? t(...KINDS[kind as ActionKind]) : kind.replace(/_/g, ' ');

const DURATIONS = new Set([
  'daysSinceContact',
  'cadenceDays',
  'daysSinceReview',
  'reviewDays',
  'daysSinceLastEvent',
  'daysSinceLastPurchase',
  'pauseDays',
  'daysLeft',
]);

/**
 * The reason in the reader's language, from the figures the rule sent; the API's English text when
 * a figure the sentence needs is missing (or the kind is new to this version).
 */
export function reasonText(item: ActionItem, t: Translate, f: Format): string {
  const { numbers, dates, signals } = item.reason;
  const values: Record<string, string> = { signals: signals.join('; ') };
  for (const [name, n] of Object.entries(numbers))
    values[name] = DURATIONS.has(name)
      ? f.duration(n, 'day')
      : name === 'share'
        ? f.percent(n)
        : f.number(n, 0);
  for (const [name, iso] of Object.entries(dates)) values[name] = f.date(iso);
  const candidates = [item.kind, `${item.kind}.never`].filter((k) => Object.hasOwn(REASONS, k));
  for (const key of candidates) {
    const template = t(...REASONS[key]!);
    const needed = [...template.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!);
    if (needed.every((name) => name in values))
      return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
  }
  return item.reason.text;
}

/** "due 12 Mar", "3 days overdue", or for a pause "until 17 Mar". */
export function dueText(item: ActionItem, t: Translate, f: Format): string {
  if (item.kind === 'respect_pause') {
    const until = f.date(item.dueAt);
    return t(`until ${until}`, `до ${until}`);
  }
  const late = item.overdueDays > 0 && f.duration(item.overdueDays, 'day');
  const due = f.date(item.dueAt);
  return late ? t(`${late} overdue`, `просрочено на ${late}`) : t(`due ${due}`, `срок ${due}`);
}
