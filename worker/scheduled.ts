import { resolveFitRequest } from '../core/value/model.ts';
import { DAY_MS } from '../schema/common.ts';
import { purgeRunsStatements, workspacesToRetry } from './db/jobs.ts';
import { purgeAllExpiredSessionsStatement } from './db/sessions.ts';
import { listStoredWorkspaces } from './db/workspaces.ts';
import { purgeExpiredIdempotencyStatement } from './db/idempotency.ts';
import {
  type GlobalStep,
  type JobDefinition,
  runIdPrefix,
  runJob,
  type RunSummary,
  type WorkspaceStep,
} from './job-runner.ts';
import { announceClassChanges } from './announce-classes.ts';
import { restageWorkspace } from './restage.ts';
import { type DataBindings, dataDatabases } from './databases.ts';
import { dueSnapshots } from './snapshots.ts';
import { sweepWorkspace } from './sweep.ts';
import { workspacesWithWebhooks } from './db/webhooks.ts';
import { flushAllOutboxes } from './webhook-delivery.ts';
import { fitWorkspaceModel, sleepRuleFor } from './value.ts';

/** The cron expressions of wrangler.toml's `[triggers]`, by the job each one starts. */
export const NIGHTLY_CRON = '17 3 * * *';
export const RETRY_CRON = '47 * * * *';

/** Job runs are kept this long, then purged by the nightly run. */
export const JOB_RUNS_KEPT_DAYS = 90;
/** A workspace failing this many runs in a row waits for the next nightly run instead of the hourly retry. */
export const RETRY_ATTEMPTS = 3;

/** Drops expired idempotency records and widget sessions of every workspace, and old job runs. */
const purge: GlobalStep = {
  name: 'purge',
  async run(db, now) {
    const cutoff = new Date(Date.parse(now) - JOB_RUNS_KEPT_DAYS * DAY_MS).toISOString();
    await db.batch([
      purgeExpiredIdempotencyStatement(db, now),
      purgeAllExpiredSessionsStatement(db, now),
      ...purgeRunsStatements(db, runIdPrefix(cutoff)),
    ]);
  },
};

/** Refits the CLV model on the whole history (below the minimum data it records why and changes nothing else). */
const fit: WorkspaceStep = {
  name: 'fit',
  async run({ db, workspaceId, settings, now }) {
    const request = resolveFitRequest({}, settings.value, now);
    if (request.ok) await fitWorkspaceModel(db, workspaceId, request.value, now);
  },
};

/** Re-derives the stage histories, so that rule changes and a new model's P(alive) reach every client. */
const restage: WorkspaceStep = {
  name: 'restage',
  async run({ db, workspaceId, settings, now }) {
    const sleepRule = await sleepRuleFor(db, workspaceId, settings);
    return { clients: await restageWorkspace(db, workspaceId, settings, now, sleepRule) };
  },
};

/**
 * What the nightly run does for each workspace, in order. A new nightly step is one more entry
 * here: the runner isolates, times and records it like the others.
 * (Time-driven transitions need no job: they are stored ahead of time.)
 */
/** Brings the funnel's day histograms up to now, after the restage has rewritten the spells. */
const sweep: WorkspaceStep = {
  name: 'sweep',
  async run({ db, workspaceId, now }) {
    await sweepWorkspace(db, workspaceId, now);
  },
};

/**
 * Announces to webhooks the changes of types and mono-clients, which are relative to the whole
 * portfolio (worker/announce-classes.ts); does nothing for workspaces without such a webhook.
 */
const announceClasses: WorkspaceStep = {
  name: 'announce',
  async run({ db, workspaceId, settings, now }) {
    await announceClassChanges(db, workspaceId, settings, now);
  },
};

export const NIGHTLY_STEPS: readonly WorkspaceStep[] = [fit, restage, sweep, announceClasses];

/** Nightly upkeep, never inside a user's request: the purge, then every workspace's steps. */
export const nightlyJob: JobDefinition = {
  job: 'nightly',
  before: [purge],
  steps: NIGHTLY_STEPS,
  workspaces: listStoredWorkspaces,
};

export const nightly = (env: Env, now: string): Promise<RunSummary> =>
  runJob(env, nightlyJob, { now });

/**
 * The hourly retry: the nightly steps again for the workspaces whose latest part of a run failed
 * (fewer than RETRY_ATTEMPTS times in a row). With nothing to retry it records no run.
 */
export async function retryFailed(env: Env, now: string): Promise<RunSummary | null> {
  const pending = new Set(await workspacesToRetry(env.DB, RETRY_ATTEMPTS));
  if (pending.size === 0) return null;
  return runJob(
    env,
    {
      job: 'nightly-retry',
      steps: NIGHTLY_STEPS,
      workspaces: async (db) => (await listStoredWorkspaces(db)).filter((ws) => pending.has(ws.id)),
    },
    { now },
  );
}

/**
 * Webhooks between nightly runs: sweeps the workspaces that have webhooks, so that a client
 * falling asleep is announced within the hour (sweepWorkspace), then hands every message still in
 * the outbox to the delivery queue (including any a write's hand-over missed).
 */
export async function announce(env: Env, now: string): Promise<void> {
  // Webhooks are workspace data: each data database lists the workspaces it holds webhooks of.
  for (const { db } of dataDatabases(env))
    for (const workspaceId of await workspacesWithWebhooks(db)) {
      try {
        await sweepWorkspace(db, workspaceId, now);
      } catch (error) {
        console.error(JSON.stringify({ step: 'webhook-sweep', workspaceId, error: String(error) }));
      }
    }
  await flushAllOutboxes(env, env.WEBHOOK_QUEUE);
}

export function scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): void {
  const now = new Date(controller.scheduledTime).toISOString();
  ctx.waitUntil(
    controller.cron === RETRY_CRON
      ? retryFailed(env, now).then(() => announce(env, now))
      : nightly(env, now).then(() => flushAllOutboxes(env, env.WEBHOOK_QUEUE)),
  );
  if (controller.cron === RETRY_CRON) ctx.waitUntil(startDueSnapshots(env, now));
}

/** The hourly cron also starts the snapshots that are due; the queue carries them on. */
export async function startDueSnapshots(env: DataBindings & Pick<Env, 'SNAPSHOTS'>, now: string) {
  const first = await dueSnapshots(env, now);
  if (first.length > 0) await env.SNAPSHOTS.sendBatch(first.map((body) => ({ body })));
}
