import type { ActionItem, ActionKind } from '../../schema/actions.ts';
import type { Format } from '../shared/format.ts';
import type { Translate } from '../shared/messages.ts';
import { DUE_GROUPS, KIND_ORDER, KINDS } from './messages.ts';

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
