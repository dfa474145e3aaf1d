import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { abcXyz, resolveAbcXyzQuery } from '../../core/segments/abc-xyz.ts';
import { classifyAll } from '../../core/segments/client-types.ts';
import { rfm } from '../../core/segments/rfm.ts';
import type { SegmentSettings } from '../../schema/segments.ts';
import { loadAllSnapshots } from '../../worker/db/clients.ts';
import { loadPeriodsInWindow, loadRfmInputs } from '../../worker/db/segments.ts';

const rows = async <T>(sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;

const byKey = <T>(list: T[], key: (t: T) => string) =>
  Object.fromEntries(list.map((t) => [key(t), t]).sort(([a], [b]) => (a! < b! ? -1 : 1)));

/**
 * A finished snapshot against a from-scratch classification of the same data by the
 * whole-portfolio classifiers (abcXyz, rfm, classifyAll), and its counts against a recount of its
 * own per-client rows.
 */
export async function expectSnapshotMatchesScratch(
  ws: string,
  snapshotId: string,
  settings: SegmentSettings,
  asOf: string,
) {
  const stored = await rows<{
    client_id: string;
    abc: string | null;
    xyz: string | null;
    abc_rank: number | null;
    r: number | null;
    f: number | null;
    m: number | null;
    rfm_segment: string;
    stage: string | null;
  }>(
    'SELECT client_id, abc, xyz, abc_rank, r, f, m, rfm_segment, stage FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2',
    ws,
    snapshotId,
  );
  const types = await rows<{ client_id: string; type: string; source: string }>(
    'SELECT client_id, type, source FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2',
    ws,
    snapshotId,
  );

  const params = resolveAbcXyzQuery({ period: 'month', measure: 'revenue' }, asOf);
  const abc = abcXyz(
    await loadPeriodsInWindow(env.DB, ws, params.from.slice(0, 7), params.to.slice(0, 7)),
    params,
    settings,
  );
  const scores = rfm(await loadRfmInputs(env.DB, ws), asOf, settings);
  const snapshots = await loadAllSnapshots(env.DB, ws, asOf);
  const classified = classifyAll(snapshots, settings, asOf);

  expect(stored.length, 'one row per client').toBe(snapshots.length);

  const abcOf = new Map(abc.clients.map((c) => [c.id, c]));
  const rfmOf = new Map(scores.clients.map((c) => [c.id, c]));
  expect(
    byKey(stored, (s) => s.client_id),
    'classes',
  ).toEqual(
    byKey(
      snapshots.map((s) => ({
        client_id: s.id,
        abc: abcOf.get(s.id)?.abc ?? null,
        xyz: abcOf.get(s.id)?.xyz ?? null,
        abc_rank: abcOf.get(s.id)?.rank ?? null,
        r: rfmOf.get(s.id)!.r,
        f: rfmOf.get(s.id)!.f,
        m: rfmOf.get(s.id)!.m,
        rfm_segment: rfmOf.get(s.id)!.segment,
        stage: s.stage,
      })),
      (s) => s.client_id,
    ),
  );
  const key = (t: { client_id: string; type: string; source: string }) =>
    `${t.client_id}|${t.type}|${t.source}`;
  expect(types.map(key).sort(), 'types').toEqual(
    [...classified]
      .flatMap(([id, list]) =>
        list.map((t) => key({ client_id: id, type: t.type, source: t.source })),
      )
      .sort(),
  );

  const counts = await expectCountsMatchRecount(ws, snapshotId);
  // And the matrix of the whole-portfolio answer.
  const cells = Object.fromEntries(
    counts.filter((c) => c.dim === 'cell').map((c) => [c.key, Number(c.clients)]),
  );
  for (const [cell, n] of Object.entries(abc.matrix)) expect(cells[cell] ?? 0, cell).toBe(n);
}

/** A snapshot's counts against a recount of its own per-client rows. */
export async function expectCountsMatchRecount(ws: string, snapshotId: string) {
  const counts = await rows<Record<string, string | number>>(
    'SELECT dim, key, clients, derived, manual, revenue_cents, value_cents FROM class_counts WHERE workspace_id = ?1 AND snapshot_id = ?2 AND clients <> 0',
    ws,
    snapshotId,
  );
  const recount = await rows<Record<string, string | number>>(
    `SELECT 'cell' AS dim, abc || xyz AS key, COUNT(*) AS clients, 0 AS derived, 0 AS manual,
       SUM(CAST(ROUND(revenue * 100) AS INTEGER)) AS revenue_cents, SUM(value_cents) AS value_cents
       FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2 AND abc IS NOT NULL GROUP BY abc, xyz
     UNION ALL SELECT 'rfm', rfm_segment, COUNT(*), 0, 0, 0, 0 FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2 GROUP BY rfm_segment
     UNION ALL SELECT 'stage', stage, COUNT(*), 0, 0, 0, 0 FROM client_classes WHERE workspace_id = ?1 AND snapshot_id = ?2 AND stage IS NOT NULL GROUP BY stage
     UNION ALL SELECT 'type', type, COUNT(*), SUM(source = 'derived'), SUM(source = 'manual'), 0, 0 FROM client_class_types WHERE workspace_id = ?1 AND snapshot_id = ?2 GROUP BY type`,
    ws,
    snapshotId,
  );
  const k = (r: Record<string, string | number>) => `${r.dim}|${r.key}`;
  expect(byKey(counts, k), 'class counts').toEqual(byKey(recount, k));
  return counts;
}
