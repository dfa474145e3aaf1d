import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import wranglerToml from '../../wrangler.toml?raw';
import { JobRunPageSchema } from '../../schema/jobs.ts';
import worker from '../../worker/index.ts';
import { describeFailure, runJob } from '../../worker/job-runner.ts';
import { listStoredWorkspaces } from '../../worker/db/workspaces.ts';
import {
  NIGHTLY_CRON,
  NIGHTLY_STEPS,
  RETRY_ATTEMPTS,
  RETRY_CRON,
  nightly,
  retryFailed,
} from '../../worker/scheduled.ts';
import { ADMIN, callJson, createWorkspace, expectProblem, call, postEvents } from './helpers.ts';
import type { Workspace } from './helpers.ts';

const NOW = '2026-11-30T03:17:00.000Z';
/** Words that would betray SQL, or the trigger's own text, in a recorded message. */
const SQL_WORDS = /\b(select|insert|update|delete|from|where|trigger|values)\b|never here/i;

async function seedClients(ws: Workspace, n: number) {
  const events = Array.from({ length: n }, (_, i) => [
    { id: `o${i}`, clientId: `c${i}`, type: 'outreach', at: '2026-01-05' },
    { id: `p${i}`, clientId: `c${i}`, type: 'purchase', at: '2026-02-10', amount: 100 + i },
  ]).flat();
  expect((await postEvents(ws.secretKey, events)).status).toBe(200);
}

const versions = async (id: string) =>
  (
    await env.DB.prepare('SELECT SUM(version) AS n FROM clients WHERE workspace_id = ?1')
      .bind(id)
      .first<{ n: number }>()
  )?.n ?? 0;

const hasModel = async (id: string) =>
  (await env.DB.prepare('SELECT 1 AS ok FROM clv_models WHERE workspace_id = ?1')
    .bind(id)
    .first()) !== null;

const jobs = async (key: string, query = '') => {
  const res = await callJson(`/v1/jobs${query}`, { key });
  expect(res.status).toBe(200);
  return v.parse(JobRunPageSchema, res.body);
};

/** A D1 error inside one workspace's re-derivation only: its derived rows cannot be written. */
const breakDerivationOf = (workspaceId: string) =>
  env.DB.prepare(
    `CREATE TRIGGER broken_derivation BEFORE INSERT ON client_aggregates
     WHEN NEW.workspace_id = '${workspaceId}' BEGIN SELECT RAISE(ABORT, 'never here'); END`,
  ).run();

describe('the nightly job with a broken workspace among good ones', () => {
  // Sorted by id, so that the broken workspaces come first in the job's order.
  let ws: Workspace[];
  let corrupt: Workspace;
  let d1Error: Workspace;
  let good: Workspace[];
  const errors: string[] = [];

  beforeAll(async () => {
    ws = [];
    for (let i = 0; i < 4; i++) ws.push(await createWorkspace({ name: `w${i}` }));
    ws.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const [i, w] of ws.entries()) await seedClients(w, 3 + i);
    [corrupt, d1Error, ...good] = ws as [Workspace, Workspace, ...Workspace[]];
    await env.DB.prepare('UPDATE workspaces SET settings = \'{"lifecycle": {\' WHERE id = ?1')
      .bind(corrupt.id)
      .run();
    await breakDerivationOf(d1Error.id);
  });
  afterEach(() => vi.restoreAllMocks());

  it('runs every good workspace, records and logs each failure with its workspace id', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      errors.push(String(line));
    });
    const before = await Promise.all(ws.map((w) => versions(w.id)));
    const summary = await nightly(env, NOW);
    spy.mockRestore();

    expect(summary.workspaces).toBe(4);
    expect(summary.failures.map((f) => [f.workspaceId, f.step])).toEqual([
      [corrupt.id, 'settings'],
      [d1Error.id, 'restage'],
    ]);
    // The good ones, after both broken ones in the job's order, were fitted and re-derived.
    for (const w of good) {
      expect(await hasModel(w.id)).toBe(true);
      expect(await versions(w.id)).toBeGreaterThan(before[ws.indexOf(w)]!);
    }
    expect(await versions(d1Error.id)).toBe(before[1]);
    expect(summary.clients).toBe(5 + 6);
    for (const w of [corrupt, d1Error])
      expect(errors.some((line) => JSON.parse(line).workspaceId === w.id)).toBe(true);
  });

  it('shows the admin every run with its totals and failures, in words without SQL', async () => {
    const page = await jobs(ADMIN);
    const run = page.data[0]!;
    expect(run).toMatchObject({
      job: 'nightly',
      status: 'failed',
      workspaces: 4,
      clients: 11,
      failed: 2,
    });
    expect(run.finishedAt! >= run.startedAt).toBe(true);
    expect(run.durationMs).toBe(Date.parse(run.finishedAt!) - Date.parse(run.startedAt));
    expect(run.failures).toEqual([
      {
        workspaceId: corrupt.id,
        step: 'settings',
        message: 'the stored settings are not valid JSON',
      },
      {
        workspaceId: d1Error.id,
        step: 'restage',
        message: expect.stringMatching(/^a database error \((D1|SQLITE)_[A-Z_]+\)/),
      },
    ]);
    for (const f of run.failures) expect(f.message).not.toMatch(SQL_WORDS);
  });

  it("shows a workspace's secret key only its own part of each run", async () => {
    const mine = await jobs(good[0]!.secretKey);
    expect(mine.data).toHaveLength(1);
    expect(mine.data[0]).toMatchObject({
      job: 'nightly',
      status: 'succeeded',
      workspaces: 1,
      clients: 5,
      failed: 0,
      failures: [],
    });
    const broken = await jobs(d1Error.secretKey);
    expect(broken.data[0]).toMatchObject({
      status: 'failed',
      workspaces: 1,
      clients: 0,
      failures: [{ workspaceId: d1Error.id, step: 'restage' }],
    });
  });

  it('retries the failed workspaces hourly until they succeed, at most RETRY_ATTEMPTS in a row', async () => {
    await env.DB.prepare('DROP TRIGGER broken_derivation').run();
    const before = await versions(good[0]!.id);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const first = await retryFailed(env, NOW);
    // Only the two that failed; the one repaired since succeeds, the corrupt one fails again.
    expect(first).toMatchObject({ workspaces: 2 });
    expect(first!.failures.map((f) => f.workspaceId)).toEqual([corrupt.id]);
    expect(await versions(good[0]!.id)).toBe(before);
    expect((await jobs(d1Error.secretKey)).data[0]).toMatchObject({
      job: 'nightly-retry',
      status: 'succeeded',
      clients: 4,
    });
    for (let attempt = 3; attempt <= RETRY_ATTEMPTS; attempt++)
      expect(await retryFailed(env, NOW)).toMatchObject({ workspaces: 1 });
    // Failed RETRY_ATTEMPTS times in a row: it waits for the next nightly run, which takes everyone.
    expect(await retryFailed(env, NOW)).toBeNull();
    const page = await jobs(ADMIN);
    expect(page.data.map((r) => r.job)).toEqual([
      ...Array(RETRY_ATTEMPTS - 1).fill('nightly-retry'),
      'nightly',
    ]);
  });

  it('pages newest first with a cursor that works only for who asked', async () => {
    const first = await jobs(ADMIN, '?limit=1');
    expect(first.data).toHaveLength(1);
    const all = await jobs(ADMIN);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: v.InferOutput<typeof JobRunPageSchema> = await jobs(
        ADMIN,
        `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(all.data.map((r) => r.id));
    expect([...ids].sort().reverse()).toEqual(ids);
    await expectProblem(
      await call(`/v1/jobs?cursor=${encodeURIComponent(first.nextCursor!)}`, {
        key: good[0]!.secretKey,
      }),
      400,
      ['cursor'],
    );
  });

  it('is in the OpenAPI document, for the admin token and secret keys', async () => {
    const doc = (await callJson('/openapi.json')).body;
    const op = doc.paths['/v1/jobs'].get;
    expect(op.security).toEqual([{ adminToken: [] }, { secretKey: [] }]);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'limit']);
    expect(doc.components.schemas.JobRun.required).toEqual(
      expect.arrayContaining([
        'job',
        'startedAt',
        'finishedAt',
        'workspaces',
        'clients',
        'failures',
      ]),
    );
  });

  it('refuses other keys and bad queries', async () => {
    await expectProblem(await call('/v1/jobs'), 401);
    await expectProblem(await call('/v1/jobs', { key: 'not-the-admin-token' }), 401);
    await expectProblem(await call('/v1/jobs', { key: good[0]!.publishableKey }), 403);
    await expectProblem(await call('/v1/jobs?limit=101', { key: ADMIN }), 400, ['limit']);
    await expectProblem(await call('/v1/jobs?since=x', { key: ADMIN }), 400);
  });
});

describe('the job runner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('abandons a workspace that hangs past its time limit and goes on with the others', async () => {
    const a = await createWorkspace();
    const b = await createWorkspace();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: string[] = [];
    const summary = await runJob(
      env,
      {
        job: 'nightly',
        steps: [
          {
            name: 'slow',
            async run({ workspaceId }) {
              if (workspaceId === a.id) await new Promise(() => {});
              seen.push(workspaceId);
              return { clients: 7 };
            },
          },
        ],
        workspaces: async (db) =>
          (await listStoredWorkspaces(db)).filter((w) => w.id === a.id || w.id === b.id),
      },
      { now: NOW, workspaceTimeoutMs: 30 },
    );
    expect(seen).toEqual([b.id]);
    expect(summary.failures).toEqual([
      { workspaceId: a.id, step: 'slow', message: 'took longer than 0.03 s and was abandoned' },
    ]);
    expect(summary.clients).toBe(7);
  });

  it('records a failure outside any workspace and still runs the workspaces', async () => {
    const a = await createWorkspace();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const summary = await runJob(
      env,
      {
        job: 'nightly',
        before: [
          {
            name: 'purge',
            run: (db) =>
              db
                .prepare('DELETE FROM no_such_table')
                .run()
                .then(() => {}),
          },
        ],
        steps: NIGHTLY_STEPS,
        workspaces: async (db) => (await listStoredWorkspaces(db)).filter((w) => w.id === a.id),
      },
      { now: NOW },
    );
    expect(summary.workspaces).toBe(1);
    const run = (await jobs(ADMIN)).data.find((r) => r.id === summary.runId)!;
    expect(run).toMatchObject({ status: 'failed', failed: 1, workspaces: 1 });
    expect(run.failures).toEqual([
      { workspaceId: null, step: 'purge', message: expect.stringMatching(/^a database error/) },
    ]);
    expect(run.failures[0]!.message).not.toMatch(SQL_WORDS);
  });

  it('says what is wrong with settings that do not match the schema, without their values', () => {
    let error: unknown;
    try {
      v.parse(
        v.object({ lifecycle: v.object({ sleepingAfterDays: v.number('must be a number') }) }),
        {
          lifecycle: { sleepingAfterDays: 'secret-value' },
        },
      );
    } catch (e) {
      error = e;
    }
    const message = describeFailure(error);
    expect(message).toBe(
      'the stored settings do not match the settings schema: lifecycle.sleepingAfterDays must be a number',
    );
    expect(describeFailure(new TypeError('x is undefined in SELECT a FROM b'))).toBe(
      'an unexpected TypeError; details in the Worker log',
    );
  });

  it('purges runs older than 90 days on the nightly run', async () => {
    await env.DB.prepare(
      "INSERT INTO job_runs (id, job, started_at, finished_at) VALUES ('run_20200101T000000000Z_old', 'nightly', '2020-01-01T00:00:00.000Z', '2020-01-01T00:01:00.000Z')",
    ).run();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await nightly(env, NOW);
    expect(
      await env.DB.prepare(
        "SELECT 1 FROM job_runs WHERE id = 'run_20200101T000000000Z_old'",
      ).first(),
    ).toBeNull();
  });
});

describe('the cron triggers', () => {
  it('are the ones wrangler.toml declares', () => {
    const crons = /^crons\s*=\s*(\[.*\])$/m.exec(wranglerToml)?.[1];
    expect(JSON.parse(crons!)).toEqual([NIGHTLY_CRON, RETRY_CRON]);
  });

  it('start the nightly run or the retry by their cron', async () => {
    const w = await createWorkspace();
    await env.DB.prepare("UPDATE workspaces SET settings = 'null' WHERE id = ?1").bind(w.id).run();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const latest = async () => (await jobs(ADMIN, '?limit=1')).data[0]!;
    for (const [cron, job] of [
      [NIGHTLY_CRON, 'nightly'],
      [RETRY_CRON, 'nightly-retry'],
    ] as const) {
      const ctx = createExecutionContext();
      worker.scheduled(
        createScheduledController({ cron, scheduledTime: Date.parse(NOW) }),
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      const run = await latest();
      expect(run.job).toBe(job);
      expect(run.failures).toContainEqual({
        workspaceId: w.id,
        step: 'settings',
        message: expect.stringContaining('the stored settings do not match the settings schema'),
      });
    }
  });
});
