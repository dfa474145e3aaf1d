import {
  ACTION_KINDS,
  type ActionItem,
  type ActionKind,
  type ActionSettings,
} from '../../schema/actions.ts';
import { DAY_MS } from '../../schema/common.ts';
import { canSee, type Viewer } from './access.ts';
import type { ClientFacts } from './facts.ts';
import { keyClientsByManager } from './managers.ts';
import { CLIENT_RULES, type Draft, rebalanceManager, type RuleContext } from './rules.ts';

/** `kind:YYYY-MM-DD:subject`: the same rule firing for the same due date keeps its id. */
export const actionId = (kind: ActionKind, dueAt: string, subject: string): string =>
  `${kind}:${dueAt.slice(0, 10)}:${subject}`;

export function parseActionId(
  id: string,
): { kind: ActionKind; day: string; subject: string } | null {
  const m = /^([a-z_]+):(\d{4}-\d{2}-\d{2}):(.+)$/su.exec(id);
  if (!m || !(ACTION_KINDS as readonly string[]).includes(m[1]!)) return null;
  return { kind: m[1] as ActionKind, day: m[2]!, subject: m[3]! };
}

const toItem = (d: Draft, asOfMs: number): ActionItem => ({
  id: actionId(d.kind, d.dueAt, d.subject),
  kind: d.kind,
  clientId: d.clientId,
  clientName: d.clientName,
  manager: d.manager,
  priority: d.priority,
  dueAt: d.dueAt,
  openedAt: d.openedAt,
  overdueDays: Math.max(0, Math.floor((asOfMs - Date.parse(d.dueAt)) / DAY_MS)),
  canMarkDone: d.canMarkDone,
  reason: d.reason,
});

export const compareItems = (
  p: Pick<ActionItem, 'priority' | 'dueAt' | 'id'>,
  q: Pick<ActionItem, 'priority' | 'dueAt' | 'id'>,
): number =>
  p.priority - q.priority ||
  (p.dueAt < q.dueAt ? -1 : p.dueAt > q.dueAt ? 1 : p.id < q.id ? -1 : p.id > q.id ? 1 : 0);

/**
 * The work list at `asOf` (docs/domain.md 6): every enabled rule run over every client, plus the
 * managers holding too many key clients; by priority, then due date, then id. Pure: items are
 * derived from the facts each time, never stored.
 */
export function deriveActions(
  facts: readonly ClientFacts[],
  settings: ActionSettings,
  asOf: string,
): ActionItem[] {
  const ctx: RuleContext = { asOf, asOfMs: Date.parse(asOf), settings };
  const rules = ACTION_KINDS.filter(
    (k): k is Exclude<ActionKind, 'rebalance_manager'> =>
      k !== 'rebalance_manager' && settings.rules[k].enabled,
  ).map((k) => CLIENT_RULES[k]);
  const drafts: Draft[] = [];
  for (const f of facts) {
    for (const rule of rules) {
      const d = rule(f, ctx);
      if (d) drafts.push(d);
    }
  }
  for (const [manager, keys] of keyClientsByManager(facts).byManager) {
    const d = rebalanceManager(manager, keys, ctx);
    if (d) drafts.push(d);
  }
  return drafts.map((d) => toItem(d, ctx.asOfMs)).sort(compareItems);
}

export interface ActionFilter {
  kinds?: readonly ActionKind[] | undefined;
  clientId?: string | undefined;
  manager?: string | undefined;
  /** Items due strictly before this instant. */
  dueBefore?: string | undefined;
  viewer: Viewer;
}

export function selectActions(items: readonly ActionItem[], filter: ActionFilter): ActionItem[] {
  const kinds = filter.kinds ? new Set(filter.kinds) : null;
  return items.filter(
    (i) =>
      canSee(filter.viewer, i.clientId, i.manager) &&
      (kinds === null || kinds.has(i.kind)) &&
      (filter.clientId === undefined || i.clientId === filter.clientId) &&
      (filter.manager === undefined || i.manager === filter.manager) &&
      (filter.dueBefore === undefined || i.dueAt < filter.dueBefore),
  );
}

/** A cursor position: the sort key of the last item of a page. */
export const positionOf = (i: Pick<ActionItem, 'priority' | 'dueAt' | 'id'>): string =>
  JSON.stringify([i.priority, i.dueAt, i.id]);

/** The page after `position` (keyset pagination over the sorted list: items do not shift under a reader). */
export function pageAfter(
  items: readonly ActionItem[],
  position: string | null,
  limit: number,
): { page: ActionItem[]; hasMore: boolean } {
  let start = 0;
  if (position !== null) {
    const [priority, dueAt, id] = JSON.parse(position) as [ActionItem['priority'], string, string];
    const key = { priority, dueAt, id };
    start = items.findIndex((i) => compareItems(i, key) > 0);
    if (start === -1) start = items.length;
  }
  return { page: items.slice(start, start + limit), hasMore: start + limit < items.length };
}
