import * as v from 'valibot';
import type { JobFailure, JobName } from '../schema/jobs.ts';
import { type Settings, SettingsSchema } from '../schema/settings.ts';
import { DatabaseNameSchema } from '../schema/workspaces.ts';
import { randomToken } from './crypto.ts';
import { type DataBindings, dataDatabase } from './databases.ts';
import { finishRunStatement, insertRunStatement, recordPartStatements } from './db/jobs.ts';
import type { StoredWorkspace } from './db/workspaces.ts';
import { ApiError } from './problem.ts';

/**
 * A small runner for background jobs: global steps first, then every selected workspace on its
 * own, each workspace's steps in order inside one try/catch and a time limit, so that one
 * workspace's bad settings, D1 error or hang is recorded and logged with its id while the others
 * still run. Everything a run does is recorded in `job_runs` as it goes (readable at
 * `GET /v1/jobs`), so a run cut short by the platform still shows how far it got.
 */

export interface StepContext {
  /** The workspace's data database (worker/databases.ts). */
  db: D1Database;
  workspaceId: string;
  settings: Settings;
  /** The job's clock, read once: every workspace of a run is computed as of the same instant. */
  now: string;
}

/** One piece of per-workspace work; a job is a list of them, run in order for each workspace. */
export interface WorkspaceStep {
  /** Named in failures (`fit`, `restage`, …). */
  name: string;
  /** Reports how many clients it went through; the workspace's count is the largest reported. */
  run(c: StepContext): Promise<{ clients?: number } | void>;
}

/** Work outside any one workspace (purges of the control database), run before the workspaces. */
export interface GlobalStep {
  name: string;
  run(control: D1Database, now: string): Promise<void>;
}

export type { StoredWorkspace };

export interface JobDefinition {
  job: JobName;
  before?: readonly GlobalStep[];
  steps: readonly WorkspaceStep[];
  /** The workspaces to go through, read from the control database (a failure here fails the run, recorded as step `workspaces`). */
  workspaces(control: D1Database): Promise<StoredWorkspace[]>;
}

export interface RunOptions {
  now: string;
  /** Past it a workspace is recorded as failed and the run moves on (its work is abandoned). */
  workspaceTimeoutMs?: number;
  /** Wall clock for the record; the job's `now` stays fixed. */
  clock?: () => string;
}

export interface RunSummary {
  runId: string;
  workspaces: number;
  clients: number;
  failures: JobFailure[];
}

/** Five minutes a workspace: a cron invocation has 15 minutes of wall time in all. */
export const WORKSPACE_TIMEOUT_MS = 5 * 60_000;

// A plain field, not a parameter property: Node runs this module by stripping types (bench/).
export class StepTimeoutError extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`took longer than ${ms / 1000} s`);
    this.ms = ms;
    this.name = 'StepTimeoutError';
  }
}

/**
 * A failure as a run records it: said in words an admin can act on, never the raw message (a D1
 * error can quote SQL, a parse error a stored value). The full error goes to the Worker log.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof StepTimeoutError)
    return `took longer than ${error.ms / 1000} s and was abandoned`;
  if (error instanceof SyntaxError) return 'the stored settings are not valid JSON';
  if (error instanceof v.ValiError) {
    const issues = (error.issues as v.BaseIssue<unknown>[])
      .slice(0, 3)
      .map((issue) => `${v.getDotPath(issue) ?? '(root)'} ${issue.message}`);
    return `the stored settings do not match the settings schema: ${issues.join('; ')}`;
  }
  if (error instanceof ApiError) return error.detail;
  const message = error instanceof Error ? error.message : '';
  const code = /\b(D1_[A-Z_]+|SQLITE_[A-Z_]+)\b/.exec(message)?.[1];
  if (code) return `a database error (${code}); details in the Worker log`;
  const name = error instanceof Error ? error.name : typeof error;
  return `an unexpected ${name}; details in the Worker log`;
}

const logFailure = (fields: Record<string, unknown>, error: unknown) =>
  console.error(
    JSON.stringify({
      ...fields,
      error:
        error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error),
    }),
  );

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(ms)), ms);
  });
  return Promise.race([work, limit]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

/** Run ids start with the start instant, so that they sort by time (keyset pages, purges). */
export const runIdPrefix = (instant: string) => `run_${instant.replace(/[-:.]/g, '')}`;
const runIdFor = (startedAt: string) => `${runIdPrefix(startedAt)}_${randomToken(6)}`;

/** Recording must never stop the work it records: a failed write is logged and the run goes on. */
async function record(db: D1Database, statements: D1PreparedStatement[], runId: string) {
  try {
    await db.batch(statements);
  } catch (error) {
    logFailure({ runId, message: 'could not record the job run' }, error);
  }
}

/**
 * Runs a job: its record and global steps on the control database (`env.DB`), each workspace's
 * steps on that workspace's data database (its stored name parsed inside its own isolation, like
 * its settings).
 */
export async function runJob(
  env: DataBindings,
  definition: JobDefinition,
  {
    now,
    workspaceTimeoutMs = WORKSPACE_TIMEOUT_MS,
    clock = () => new Date().toISOString(),
  }: RunOptions,
): Promise<RunSummary> {
  const { job } = definition;
  const db = env.DB;
  const startedAt = clock();
  const runId = runIdFor(startedAt);
  await record(db, [insertRunStatement(db, { id: runId, job, startedAt })], runId);
  const summary: RunSummary = { runId, workspaces: 0, clients: 0, failures: [] };
  const runFailures: { step: string; message: string }[] = [];

  const globalFailure = (step: string, error: unknown) => {
    logFailure({ job, runId, step }, error);
    const failure = { step, message: describeFailure(error) };
    runFailures.push(failure);
    summary.failures.push({ workspaceId: null, ...failure });
  };

  for (const step of definition.before ?? []) {
    try {
      await step.run(db, now);
    } catch (error) {
      globalFailure(step.name, error);
    }
  }

  let workspaces: StoredWorkspace[] = [];
  try {
    workspaces = await definition.workspaces(db);
  } catch (error) {
    globalFailure('workspaces', error);
  }

  for (const ws of workspaces) {
    const startedAt = clock();
    let current = 'settings';
    let clients = 0;
    let failure: { step: string; message: string } | null = null;
    try {
      await withTimeout(
        (async () => {
          const settings = v.parse(SettingsSchema, JSON.parse(ws.settings));
          current = 'database';
          const name = v.safeParse(DatabaseNameSchema, ws.database);
          if (!name.success)
            throw new ApiError(500, 'the stored data database is not one of the bound databases');
          const data = dataDatabase(env, name.output);
          for (const step of definition.steps) {
            current = step.name;
            const result = await step.run({ db: data, workspaceId: ws.id, settings, now });
            clients = Math.max(clients, result?.clients ?? 0);
          }
        })(),
        workspaceTimeoutMs,
      );
    } catch (error) {
      logFailure({ job, runId, workspaceId: ws.id, step: current }, error);
      failure = { step: current, message: describeFailure(error) };
      summary.failures.push({ workspaceId: ws.id, ...failure });
    }
    summary.workspaces += 1;
    summary.clients += clients;
    await record(
      db,
      recordPartStatements(db, {
        runId,
        workspaceId: ws.id,
        startedAt,
        finishedAt: clock(),
        clients,
        failure,
      }),
      runId,
    );
  }

  await record(db, [finishRunStatement(db, runId, clock(), runFailures)], runId);
  return summary;
}
