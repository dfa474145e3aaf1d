import type { Client, ClientSnapshot } from '../schema/clients.ts';
import type { ClientProfile } from '../schema/profile.ts';
import { qualifyLead } from '../core/actions/qualify.ts';
import type { ClientRow } from './db/clients.ts';
import { loadSnapshots } from './db/clients.ts';
import { clientEvents } from './db/events.ts';
import type { WorkspaceRow } from './db/workspaces.ts';
import { classifyClient } from '../core/segments/client-types.ts';
import { snapshotPlan, typeContextFromEdges } from '../core/segments/snapshot.ts';
import { classesFor, typeContextFor } from './segmentation.ts';
import { clientValue } from '../core/value/predict.ts';
import { getModel } from './db/value.ts';
import { clientClassesIn, currentSnapshot, getSnapshotRun } from './db/snapshots.ts';

const RECENT_EVENTS = 10;

type Classes = Pick<ClientProfile, 'types' | 'rfm' | 'abc' | 'xyz' | 'computedAt'>;

/**
 * The client's classes as the latest finished snapshot gives them: its row of the snapshot, and
 * its types with their reasons judged again, as the job's classify step did, against the
 * snapshot's stored edges and sums (one state row), on the client's data as of the snapshot.
 * A few rows, whatever the size of the portfolio. Null when the workspace has no snapshot yet.
 */
async function classesFromSnapshot(
  db: D1Database,
  workspace: WorkspaceRow,
  client: ClientRow,
): Promise<Classes | null> {
  const current = await currentSnapshot(db, workspace.id);
  if (!current) return null;
  const [run, row, [asOfSnapshot]] = await Promise.all([
    getSnapshotRun(db, workspace.id, current.id),
    clientClassesIn(db, workspace.id, current.id, client.id),
    loadSnapshots(db, workspace.id, [client], current.asOf),
  ]);
  // Purged between the two reads (a newer one finished): the next request reads the newer one.
  if (!run?.state.edges) return null;
  const edges = run.state.edges;
  // As in the job: the ranked top keeps its stored rank, anyone else the lowest rank the top holds.
  const rank = (revenue: number) =>
    row && row.revenueRank !== null && revenue === row.windowRevenue
      ? row.revenueRank
      : (edges.top?.count ?? edges.buyers);
  const ctx = typeContextFromEdges(
    snapshotPlan(run.asOf, run.state.settings),
    run.state,
    edges,
    rank,
  );
  return {
    types: classifyClient(asOfSnapshot!, ctx),
    rfm: row?.rfm ?? null,
    abc: row?.abc ?? null,
    xyz: row?.xyz ?? null,
    computedAt: current.computedAt,
  };
}

/**
 * Before the first snapshot of a workspace there are no stored classes: they are computed on the
 * spot over the whole portfolio (cached per isolate for a minute), as of this request. A new
 * workspace is small, and its first snapshot runs within the hour (or on POST /v1/snapshots).
 */
async function classesOnTheSpot(
  db: D1Database,
  workspace: WorkspaceRow,
  s: ClientSnapshot,
  now: string,
): Promise<Classes> {
  const [context, classes] = await Promise.all([
    typeContextFor(db, workspace, now),
    classesFor(db, workspace, now),
  ]);
  return {
    types: classifyClient(s, context),
    rfm: classes.rfm.get(s.id) ?? null,
    abc: classes.abc.get(s.id)?.abc ?? null,
    xyz: classes.abc.get(s.id)?.xyz ?? null,
    computedAt: now,
  };
}

/**
 * The profile of one client: what it is (stage, types with reasons, classes) and what it is
 * worth, read from the maintained aggregates, the latest snapshot of the classes and its last
 * few events.
 */
export async function clientProfile(
  db: D1Database,
  workspace: WorkspaceRow,
  client: ClientRow,
  now: string,
): Promise<ClientProfile> {
  const [[snapshot], recent, stored, model] = await Promise.all([
    loadSnapshots(db, workspace.id, [client], now),
    clientEvents(db, workspace.id, client.id, { limit: RECENT_EVENTS, newestFirst: true }),
    classesFromSnapshot(db, workspace, client),
    getModel(db, workspace.id),
  ]);
  const s = snapshot!;
  const a = s.aggregates;
  const classes = stored ?? (await classesOnTheSpot(db, workspace, s, now));
  const base: Client = {
    id: s.id,
    name: s.name,
    attributes: s.attributes,
    tags: s.tags,
    manualTypes: s.manualTypes,
    acquisitionCost: s.acquisitionCost,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    stage: s.stage,
    stageSince: s.stageSince,
  };
  return {
    ...base,
    currency: workspace.settings.currency,
    ...classes,
    clv: clientValue({
      id: s.id,
      aggregates: a,
      asOf: now,
      model,
      settings: workspace.settings.value,
    }),
    lead: qualifyLead(s.attributes, a, workspace.settings.actions.leads),
    aggregates: a,
    recentEvents: recent.events,
  };
}
