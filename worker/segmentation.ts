import { abcXyz, resolveAbcXyzQuery } from '../core/segments/abc-xyz.ts';
import { buildTypeContext, classifyAll, type TypeContext } from '../core/segments/client-types.ts';
import { rfm } from '../core/segments/rfm.ts';
import type { ClientSnapshot } from '../schema/clients.ts';
import { loadAllSnapshots } from './db/clients.ts';
import { loadPeriodsInWindow, loadRfmInputs } from './db/segments.ts';
import type { WorkspaceRow } from './db/workspaces.ts';

/**
 * A workspace's type context (revenue ranking, product launches, medians) is built over every
 * client, so single-client reads (a profile, a badge) reuse one for a minute per isolate rather
 * than reading the whole portfolio each time. Workspace-wide answers build their own, fresh.
 */
const TTL_MS = 60_000;
const memo = new Map<string, { key: string; expires: number; value: Promise<unknown> }>();

function remember<T>(slot: string, key: string, compute: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = memo.get(slot);
  if (hit && hit.key === key && hit.expires > now) return hit.value as Promise<T>;
  const value = compute();
  memo.set(slot, { key, expires: now + TTL_MS, value });
  value.catch(() => memo.delete(slot));
  return value;
}

const keyOf = (workspace: WorkspaceRow, asOf: string) =>
  `${asOf.slice(0, 13)}|${JSON.stringify(workspace.settings.segments)}`;

export const typeContextFor = (
  db: D1Database,
  workspace: WorkspaceRow,
  asOf: string,
): Promise<TypeContext> =>
  remember(`types:${workspace.id}`, keyOf(workspace, asOf), async () =>
    buildTypeContext(
      await loadAllSnapshots(db, workspace.id, asOf),
      workspace.settings.segments,
      asOf,
    ),
  );

/** ABC-XYZ and RFM classes of every client, for single-client reads. */
export const classesFor = (db: D1Database, workspace: WorkspaceRow, asOf: string) =>
  remember(`classes:${workspace.id}`, keyOf(workspace, asOf), async () => {
    const params = resolveAbcXyzQuery({ period: 'month', measure: 'revenue' }, asOf);
    const [periods, rfmInputs] = await Promise.all([
      loadPeriodsInWindow(db, workspace.id, params.from.slice(0, 7), params.to.slice(0, 7)),
      loadRfmInputs(db, workspace.id),
    ]);
    const abc = abcXyz(periods, params, workspace.settings.segments);
    const scores = rfm(rfmInputs, asOf, workspace.settings.segments);
    return {
      abc: new Map(abc.clients.map((c) => [c.id, { abc: c.abc, xyz: c.xyz }])),
      rfm: new Map(
        scores.clients.map((c) => [c.id, { r: c.r, f: c.f, m: c.m, segment: c.segment }]),
      ),
    };
  });

/** Every client's snapshot and types at `asOf`: the input of portfolio-wide answers and type filters. */
export async function classifiedPortfolio(
  db: D1Database,
  workspace: WorkspaceRow,
  asOf: string,
): Promise<{ snapshots: ClientSnapshot[]; types: ReturnType<typeof classifyAll> }> {
  const snapshots = await loadAllSnapshots(db, workspace.id, asOf);
  return { snapshots, types: classifyAll(snapshots, workspace.settings.segments, asOf) };
}
