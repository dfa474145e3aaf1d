import * as v from 'valibot';
import {
  classifyChunk,
  measureChunk,
  snapshotPlan,
  typeContextFromEdges,
} from '../core/segments/snapshot.ts';
import { portfolioChunk } from '../core/segments/snapshot-portfolio.ts';
import { monthStartIso, monthIndex } from '../core/segments/window.ts';
import type { SegmentSettings } from '../schema/segments.ts';
import { SettingsSchema } from '../schema/settings.ts';
import {
  SNAPSHOT_CHUNK,
  type SnapshotKind,
  type SnapshotMessage,
  SnapshotMessageSchema,
} from '../schema/snapshots.ts';
import { randomToken } from './crypto.ts';
import { clientIdsAfter, clientRowsByIds, loadSnapshots } from './db/clients.ts';
import { isGuardConflict } from './db/derived.ts';
import {
  advanceStatement,
  failStatement,
  findEdges,
  finishStatement,
  getSnapshotRun,
  guardStatements,
  insertMeasuresStatements,
  insertSnapshotStatement,
  latestRunStart,
  measuredChunk,
  purgeSnapshotChunk,
  rankTopStatement,
  supersededSnapshots,
  writeClassesStatements,
} from './db/snapshots.ts';
import { buyersChunk, writeTiersStatements } from './db/snapshot-portfolio.ts';
import { listStoredWorkspaces } from './db/workspaces.ts';
import { describeFailure } from './job-runner.ts';

/**
 * The snapshot job (DESIGN.md "How it scales"): a run is a chain of queue messages, each one
 * step over at most SNAPSHOT_CHUNK clients, so that no invocation holds the whole portfolio.
 *   measure  (keyset by client id)      each client's figures, and the sums over all of them;
 *   edges    (one message)              cut-offs, medians and quintile edges by ordered reads;
 *   classify (keyset by value desc, id) each client's classes, types and the counts;
 *   portfolio (keyset by window revenue desc, id) each buyer's tier and key reasons, the sums of
 *                                       portfolio health (top-k, HHI, mono-clients);
 *   purge    (per superseded snapshot)  its rows, a chunk at a time.
 * A run's position is stored with it and every chunk's batch is guarded by it, so a redelivered
 * message is a no-op. Widgets read the latest finished run while the next one is written.
 */

const runIdFor = (asOf: string) => `snap_${asOf.replace(/[-:.]/g, '')}_${randomToken(6)}`;

export async function startSnapshot(
  db: D1Database,
  workspaceId: string,
  settings: SegmentSettings,
  {
    kind = 'current',
    asOf,
    now,
    chunk = SNAPSHOT_CHUNK,
  }: { kind?: SnapshotKind; asOf: string; now: string; chunk?: number },
): Promise<SnapshotMessage> {
  const id = runIdFor(asOf);
  await insertSnapshotStatement(
    db,
    { workspaceId, id, kind, asOf, startedAt: now },
    settings,
    chunk,
  ).run();
  return { workspaceId, snapshotId: id, step: 'measure', position: '' };
}

const positionOf = (valueCents: number, clientId: string) => `${valueCents}:${clientId}`;
const parsePosition = (p: string) => {
  if (p === '') return null;
  const colon = p.indexOf(':');
  return { valueCents: Number(p.slice(0, colon)), clientId: p.slice(colon + 1) };
};

const parsePortfolioPosition = (p: string) => {
  const at = parsePosition(p);
  return at && { revenue: at.valueCents, clientId: at.clientId };
};

/** Runs one step; answers the messages that continue the run (none when it is over or stale). */
export async function runSnapshotStep(
  db: D1Database,
  message: SnapshotMessage,
  clock: () => string = () => new Date().toISOString(),
): Promise<SnapshotMessage[]> {
  const { workspaceId, snapshotId: id, step, position } = message;
  const started = Date.now();
  const took = (clients: number | null) => ({ step, ms: Date.now() - started, clients });
  if (step === 'purge') {
    const deleted = await purgeSnapshotChunk(db, workspaceId, id, SNAPSHOT_CHUNK);
    return deleted > 0 ? [message] : [];
  }
  const run = await getSnapshotRun(db, workspaceId, id);
  if (!run || run.status !== 'running' || run.step !== step || run.position !== position) return [];
  const state = run.state;
  const plan = snapshotPlan(run.asOf, state.settings);
  const guard = guardStatements(db, workspaceId, id, { step, position });
  const next = (s: SnapshotMessage['step'], p: string): SnapshotMessage[] => [
    { workspaceId, snapshotId: id, step: s, position: p },
  ];

  if (step === 'measure') {
    const ids = await clientIdsAfter(db, workspaceId, position, state.chunk);
    if (ids.length === 0) {
      await db.batch([
        ...guard,
        advanceStatement(db, workspaceId, id, { step: 'edges', position: '', state }, took(0)),
      ]);
      return next('edges', '');
    }
    const rows = (await clientRowsByIds(db, workspaceId, ids)).sort((p, q) =>
      p.id < q.id ? -1 : 1,
    );
    const snapshots = await loadSnapshots(db, workspaceId, rows, run.asOf);
    const measures = measureChunk(snapshots, plan, state);
    const last = ids.at(-1)!;
    await db.batch([
      ...guard,
      ...insertMeasuresStatements(db, workspaceId, id, measures),
      advanceStatement(db, workspaceId, id, { step, position: last, state }, took(ids.length)),
    ]);
    return next('measure', last);
  }

  if (step === 'edges') {
    const edges = await findEdges(db, workspaceId, id, state.settings);
    state.edges = edges;
    await db.batch([
      ...guard,
      ...(edges.top ? [rankTopStatement(db, workspaceId, id, edges.top.cut)] : []),
      // Ordered reads over the stored figures: no client is loaded.
      advanceStatement(db, workspaceId, id, { step: 'classify', position: '', state }, took(null)),
    ]);
    return next('classify', '');
  }

  const edges = state.edges!;
  if (step === 'portfolio') {
    const buyers = await buyersChunk(
      db,
      workspaceId,
      id,
      parsePortfolioPosition(position),
      state.chunk,
    );
    if (buyers.length === 0) {
      await db.batch([...guard, finishStatement(db, workspaceId, id, clock())]);
      const stale = await supersededSnapshots(db, workspaceId, { id, asOf: run.asOf });
      return stale.map((old) => ({ workspaceId, snapshotId: old, step: 'purge', position: '' }));
    }
    const clients = await clientRowsByIds(
      db,
      workspaceId,
      buyers.map((r) => r.id),
    );
    const snapshots = await loadSnapshots(db, workspaceId, clients, run.asOf);
    // As in the classify pass: a buyer outside the ranked top gets the lowest rank the top holds.
    const ranks = new Map<number, number>();
    for (const b of buyers) if (b.revenueRank !== null) ranks.set(b.windowRevenue, b.revenueRank);
    const ctx = typeContextFromEdges(
      plan,
      state,
      edges,
      (revenue) => ranks.get(revenue) ?? edges.top?.count ?? edges.buyers,
    );
    const judged = portfolioChunk(
      buyers,
      new Map(snapshots.map((s) => [s.id, s])),
      ctx,
      plan,
      state,
      edges,
    );
    const last = buyers.at(-1)!;
    const to = `${last.windowRevenue}:${last.id}`;
    await db.batch([
      ...guard,
      ...writeTiersStatements(db, workspaceId, id, judged.clients, judged.counts),
      advanceStatement(db, workspaceId, id, { step, position: to, state }, took(buyers.length)),
    ]);
    return next('portfolio', to);
  }

  // classify
  const rows = await measuredChunk(db, workspaceId, id, parsePosition(position), state.chunk);
  if (rows.length === 0) {
    await db.batch([
      ...guard,
      advanceStatement(db, workspaceId, id, { step: 'portfolio', position: '', state }, took(0)),
    ]);
    return next('portfolio', '');
  }
  const clients = await clientRowsByIds(
    db,
    workspaceId,
    rows.map((r) => r.id),
  );
  const snapshots = await loadSnapshots(db, workspaceId, clients, run.asOf);
  const ranks = new Map<number, number>();
  for (const r of rows) if (r.revenueRank !== null) ranks.set(r.windowRevenue, r.revenueRank);
  // A client whose data changed after the measure pass may fall outside the ranked top: it gets
  // the lowest rank the top holds.
  const ctx = typeContextFromEdges(
    plan,
    state,
    edges,
    (revenue) => ranks.get(revenue) ?? edges.top?.count ?? edges.buyers,
  );
  const classified = classifyChunk(
    rows,
    new Map(snapshots.map((s) => [s.id, s])),
    ctx,
    state,
    edges,
  );
  const last = rows.at(-1)!;
  const to = positionOf(last.valueCents, last.id);
  await db.batch([
    ...guard,
    ...writeClassesStatements(db, workspaceId, id, classified.clients, classified.counts),
    advanceStatement(
      db,
      workspaceId,
      id,
      { step, position: to, state, clients: rows.length },
      took(rows.length),
    ),
  ]);
  return next('classify', to);
}

/** Runs a whole chain inline (tests, benchmarks, seeding): each step still sees one chunk. */
export async function runSnapshotToEnd(
  db: D1Database,
  first: SnapshotMessage,
  clock?: () => string,
): Promise<{ steps: number }> {
  const pending = [first];
  let steps = 0;
  while (pending.length > 0) {
    pending.push(...(await runSnapshotStep(db, pending.shift()!, clock)));
    steps += 1;
  }
  return { steps };
}

/** Attempts per message before the run is recorded as failed. */
export const SNAPSHOT_ATTEMPTS = 3;

/** The queue consumer: one step per message, the next steps sent back to the same queue. */
export async function consumeSnapshotBatch(
  batch: MessageBatch<unknown>,
  env: Pick<Env, 'DB' | 'SNAPSHOTS'>,
): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = v.safeParse(SnapshotMessageSchema, msg.body);
    if (!parsed.success) {
      msg.ack();
      continue;
    }
    const message = parsed.output;
    try {
      const next = await runSnapshotStep(env.DB, message);
      if (next.length > 0) await env.SNAPSHOTS.sendBatch(next.map((body) => ({ body })));
      msg.ack();
    } catch (error) {
      // Another delivery of the same message got there first: nothing to do.
      if (isGuardConflict(error)) {
        msg.ack();
        continue;
      }
      console.error(JSON.stringify({ job: 'snapshot', ...message, error: String(error) }));
      if (msg.attempts < SNAPSHOT_ATTEMPTS) {
        msg.retry();
        continue;
      }
      await failStatement(
        env.DB,
        message.workspaceId,
        message.snapshotId,
        new Date().toISOString(),
        describeFailure(error),
      ).run();
      msg.ack();
    }
  }
}

/** The first instant of the month of `iso`: the month-end a snapshot of the history describes. */
export const monthStart = (iso: string) => monthStartIso(monthIndex(iso));

/**
 * The hourly cron: for each workspace whose latest run started `snapshotEveryHours` ago or more,
 * a new run now; and once a month, a month-end run as of the first instant of the month (kept as
 * the history of classes). Answers the first message of each run it started.
 */
export async function dueSnapshots(db: D1Database, now: string): Promise<SnapshotMessage[]> {
  const out: SnapshotMessage[] = [];
  for (const ws of await listStoredWorkspaces(db)) {
    const parsed = v.safeParse(SettingsSchema, safeJson(ws.settings));
    if (!parsed.success) continue;
    const segments = parsed.output.segments;
    const latest = await latestRunStart(db, ws.id, 'current');
    // A few minutes' slack, so that an hourly cron firing a little early still starts a run.
    const dueMs = segments.snapshotEveryHours * 3_600_000 - 5 * 60_000;
    if (!latest || Date.parse(now) - Date.parse(latest.startedAt) >= dueMs)
      out.push(await startSnapshot(db, ws.id, segments, { asOf: now, now }));
    const monthEnd = monthStart(now);
    const history = await latestRunStart(db, ws.id, 'month_end');
    if (!history || history.asOf < monthEnd)
      out.push(
        await startSnapshot(db, ws.id, segments, { kind: 'month_end', asOf: monthEnd, now }),
      );
  }
  return out;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
