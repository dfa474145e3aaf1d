import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../schema/settings.ts';
import { runSnapshotToEnd, startSnapshot } from '../../worker/snapshots.ts';
import { sweepWorkspace } from '../../worker/sweep.ts';
import { callJson, createWorkspace, postEvents, type Workspace } from './helpers.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const buys = (clientId: string, daysAgo: number[]) =>
  daysAgo.map((d, i) => ({
    id: `${clientId}-${i}`,
    clientId,
    type: 'purchase',
    at: ago(d),
    amount: 100 + i,
  }));

/** Every page of `path` with two clients a page, following nextCursor: the ids in order. */
async function allPages(ws: Workspace, path: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '';
  for (let page = 0; page < 100; page++) {
    const { status, body } = await callJson(`${path}&limit=2${cursor}`, { key: ws.secretKey });
    expect(status, JSON.stringify(body)).toBe(200);
    ids.push(...body.data.map((c: { id: string }) => c.id));
    if (body.nextCursor === null) return ids;
    cursor = `&cursor=${encodeURIComponent(body.nextCursor)}`;
  }
  throw new Error(`${path}: more than 100 pages`);
}

/**
 * The stage lists (migration 0026: spells flagged current at the sweep instant, plus the ones
 * entered since) against every client's stage now as the unfiltered list reports it (each
 * client's own spells), before the first sweep, between sweeps, after one and with the clock
 * ahead of the request; alone and with a class filter.
 */
async function expectStageListsExact(ws: Workspace) {
  const everyone = await callJson('/v1/clients?limit=500', { key: ws.secretKey });
  const stageOf = new Map<string, string | null>(
    everyone.body.data.map((c: { id: string; stage: string | null }) => [c.id, c.stage]),
  );
  const stages = ['prospect', 'potential', 'developing', 'developed', 'sleeping', 'lost'];
  for (const stage of stages) {
    const expected = [...stageOf].filter(([, s]) => s === stage).map(([id]) => id);
    expect(await allPages(ws, `/v1/clients?stage=${stage}`), stage).toEqual(expected.sort());
  }
  await runSnapshotToEnd(
    env.DB,
    await startSnapshot(env.DB, ws.id, defaultSettings().segments, {
      asOf: new Date().toISOString(),
      now: new Date().toISOString(),
    }),
  );
  for (const abc of ['A', 'B', 'C']) {
    const inClass = new Set(await allPages(ws, `/v1/clients?abc=${abc}`));
    for (const stage of stages) {
      const expected = [...inClass].filter((id) => stageOf.get(id) === stage).sort();
      expect(await allPages(ws, `/v1/clients?stage=${stage}&abc=${abc}`), stage + abc).toEqual(
        expected,
      );
    }
  }
  return stageOf;
}

describe('GET /v1/clients?stage= lists exactly the clients in the stage now', () => {
  it('through sweeps, time-driven transitions, a client re-entering a stage and writes after a sweep', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, [
      // Monthly buyer who fell asleep 20 days ago (90 days after the last purchase): the clock,
      // not an event, moved it out of developed.
      ...buys('s-sleeper', [170, 140, 110]),
      // Fell asleep 150 days ago, bought again 10 days ago: back in developed, a stage it had.
      ...buys('r-reentry', [300, 270, 240, 10]),
      // Lost: one purchase long ago (sleeping after 90 days, lost after 365).
      ...buys('l-lost', [500]),
      ...buys('d-recent-1', [5]),
      ...buys('d-recent-2', [6]),
      ...buys('d-recent-3', [40]),
      ...buys('v-developed', [60, 30, 2]),
      { id: 'p1', clientId: 'p-prospect-1', type: 'outreach', at: ago(5) },
      { id: 'p2', clientId: 'p-prospect-2', type: 'outreach', at: ago(45) },
      { id: 'p3', clientId: 'p-prospect-3', type: 'outreach', at: ago(400) },
      { id: 'q1', clientId: 'q-potential', type: 'request', at: ago(3) },
    ]);
    // Before the first sweep every current spell is "entered since the sweep".
    let stageOf = await expectStageListsExact(ws);
    expect(stageOf.get('s-sleeper')).toBe('sleeping');
    expect(stageOf.get('r-reentry')).toBe('developed');
    expect(stageOf.get('l-lost')).toBe('lost');
    const spells = await env.DB.prepare(
      "SELECT stage FROM stage_spells WHERE workspace_id = ?1 AND client_id = 'r-reentry' AND entered_at <= ?2 ORDER BY seq",
    )
      .bind(ws.id, new Date().toISOString())
      .all<{ stage: string }>();
    expect(spells.results.map((r) => r.stage)).toEqual([
      'developing',
      'developed',
      'sleeping',
      'developed',
    ]);

    // Swept 30 days ago: the sleeper's developed spell and the re-entering client's sleeping spell
    // were current then and have closed since; their current spells began after the sweep.
    await sweepWorkspace(env.DB, ws.id, ago(30));
    stageOf = await expectStageListsExact(ws);
    expect(stageOf.get('s-sleeper')).toBe('sleeping');

    // Written after that sweep: a prospect since before it (flagged by the write) and a buyer.
    await postEvents(ws.secretKey, [
      { id: 'p4', clientId: 'p-prospect-4', type: 'outreach', at: ago(60) },
      ...buys('d-recent-4', [1]),
      // The sleeper buys again: it leaves sleeping for developed, an event-driven move.
      { id: 's-again', clientId: 's-sleeper', type: 'purchase', at: ago(1), amount: 50 },
    ]);
    stageOf = await expectStageListsExact(ws);
    expect(stageOf.get('p-prospect-4')).toBe('prospect');
    expect(stageOf.get('s-sleeper')).toBe('developed');

    // Swept now, then with the clock ahead of the request (the general walk of the spells).
    await sweepWorkspace(env.DB, ws.id, new Date().toISOString());
    await expectStageListsExact(ws);
    await sweepWorkspace(env.DB, ws.id, new Date(Date.now() + DAY).toISOString());
    stageOf = await expectStageListsExact(ws);
    expect(stageOf.get('s-sleeper')).toBe('developed');
    expect([...stageOf.values()].filter((s) => s === 'developing').length).toBeGreaterThan(2);
  }, 60_000);
});
