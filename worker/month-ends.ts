import { monthIndex, monthStartIso } from '../core/segments/window.ts';
import type { SegmentSettings } from '../schema/segments.ts';
import { type MonthEndRun, monthEndRuns } from './db/class-migrations.ts';
import { json } from './route.ts';
import { startSnapshot } from './snapshots.ts';

/** The instant a month's end snapshot describes: the first of the next month (exclusive). */
export const endOfMonth = (month: string) => monthStartIso(monthIndex(month) + 1);

type Done = MonthEndRun & { computedAt: string };

/**
 * The finished month-end snapshots of two months, or the runs still to wait for. A missing one is
 * started on the snapshot queue and computed from history there, never inside the request.
 */
export async function monthEndPair(
  db: D1Database,
  queue: Queue,
  workspace: { id: string; settings: { segments: SegmentSettings } },
  months: { from: string; to: string },
  now: string,
): Promise<{ earlier: Done; later: Done } | { pending: string[] }> {
  const fromAsOf = endOfMonth(months.from);
  const toAsOf = endOfMonth(months.to);
  const runs = await monthEndRuns(db, workspace.id, [fromAsOf, toAsOf]);
  const pending: string[] = [];
  for (const asOf of [fromAsOf, toAsOf]) {
    const run = runs.get(asOf);
    if (run?.status === 'done') continue;
    if (run) {
      pending.push(run.id);
      continue;
    }
    const first = await startSnapshot(db, workspace.id, workspace.settings.segments, {
      kind: 'month_end',
      asOf,
      now,
    });
    await queue.send(first);
    pending.push(first.snapshotId);
  }
  if (pending.length > 0) return { pending };
  return { earlier: runs.get(fromAsOf) as Done, later: runs.get(toAsOf) as Done };
}

/** The answer while month-end snapshots are computed: `202` with `Retry-After`. */
export const monthEndsPending = (snapshots: string[]) =>
  json({ status: 'running', snapshots }, { status: 202, headers: { 'retry-after': '30' } });
