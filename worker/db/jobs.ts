import type { JobFailure, JobName, JobRun } from '../../schema/jobs.ts';
import { placeholders } from './plan.ts';

/** The most failures one run lists; `failed` still counts them all. */
export const FAILURES_LISTED = 100;

export interface WorkspacePart {
  runId: string;
  workspaceId: string;
  startedAt: string;
  finishedAt: string;
  clients: number;
  failure: { step: string; message: string } | null;
}

interface RunRaw {
  id: string;
  job: JobName;
  started_at: string;
  finished_at: string | null;
  workspaces: number;
  clients: number;
  failed: number;
  run_failures: string | null;
}

interface FailureRaw {
  run_id: string;
  workspace_id: string;
  failed_step: string;
  error: string;
}

const durationOf = (startedAt: string, finishedAt: string | null) =>
  finishedAt === null ? null : Date.parse(finishedAt) - Date.parse(startedAt);

const statusOf = (finishedAt: string | null, failed: number): JobRun['status'] =>
  finishedAt === null ? 'running' : failed > 0 ? 'failed' : 'succeeded';

const toRun = (r: RunRaw, failures: JobFailure[]): JobRun => ({
  id: r.id,
  job: r.job,
  status: statusOf(r.finished_at, r.failed),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: durationOf(r.started_at, r.finished_at),
  workspaces: r.workspaces,
  clients: r.clients,
  failed: r.failed,
  failures,
});

export function insertRunStatement(
  db: D1Database,
  run: { id: string; job: JobName; startedAt: string },
): D1PreparedStatement {
  return db
    .prepare('INSERT INTO job_runs (id, job, started_at) VALUES (?1, ?2, ?3)')
    .bind(run.id, run.job, run.startedAt);
}

/** A workspace's part of a run and the run's running totals, in one atomic batch. */
export function recordPartStatements(db: D1Database, part: WorkspacePart): D1PreparedStatement[] {
  return [
    db
      .prepare(
        'INSERT OR REPLACE INTO job_run_workspaces (workspace_id, run_id, started_at, finished_at, clients, failed_step, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
      )
      .bind(
        part.workspaceId,
        part.runId,
        part.startedAt,
        part.finishedAt,
        part.clients,
        part.failure?.step ?? null,
        part.failure?.message ?? null,
      ),
    db
      .prepare(
        'UPDATE job_runs SET workspaces = workspaces + 1, clients = clients + ?2, failed = failed + ?3 WHERE id = ?1',
      )
      .bind(part.runId, part.clients, part.failure ? 1 : 0),
  ];
}

/** Closes a run; each failure outside any workspace counts as one more failure. */
export function finishRunStatement(
  db: D1Database,
  runId: string,
  finishedAt: string,
  failures: readonly { step: string; message: string }[],
): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE job_runs SET finished_at = ?2, run_failures = ?3, failed = failed + ?4 WHERE id = ?1',
    )
    .bind(
      runId,
      finishedAt,
      failures.length > 0 ? JSON.stringify(failures) : null,
      failures.length,
    );
}

/** Every run, newest first, from before `beforeId` (keyset: run ids sort by start). */
export async function listRuns(
  db: D1Database,
  { beforeId, limit }: { beforeId: string | null; limit: number },
): Promise<{ runs: JobRun[]; hasMore: boolean }> {
  const rows = await db
    .prepare(
      `SELECT id, job, started_at, finished_at, workspaces, clients, failed, run_failures FROM job_runs
       WHERE ?1 IS NULL OR id < ?1 ORDER BY id DESC LIMIT ?2`,
    )
    .bind(beforeId, limit + 1)
    .all<RunRaw>();
  const page = rows.results.slice(0, limit);
  const byRun = new Map<string, JobFailure[]>(page.map((r) => [r.id, []]));
  if (page.some((r) => r.failed > 0)) {
    const failing = page.filter((r) => r.failed > 0).map((r) => r.id);
    const failures = await db
      .prepare(
        `SELECT run_id, workspace_id, failed_step, error FROM (
           SELECT run_id, workspace_id, failed_step, error,
                  ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY workspace_id) AS n
           FROM job_run_workspaces WHERE run_id IN (${placeholders(failing.length, 0)}) AND error IS NOT NULL
         ) WHERE n <= ${FAILURES_LISTED} ORDER BY run_id, workspace_id`,
      )
      .bind(...failing)
      .all<FailureRaw>();
    for (const f of failures.results)
      byRun
        .get(f.run_id)
        ?.push({ workspaceId: f.workspace_id, step: f.failed_step, message: f.error });
  }
  return {
    runs: page.map((r) => {
      const global = r.run_failures
        ? (JSON.parse(r.run_failures) as { step: string; message: string }[])
        : [];
      return toRun(r, [
        ...global.map((f) => ({ workspaceId: null, ...f })),
        ...(byRun.get(r.id) ?? []),
      ]);
    }),
    hasMore: rows.results.length > limit,
  };
}

interface PartRaw {
  run_id: string;
  job: JobName;
  started_at: string;
  finished_at: string;
  clients: number;
  failed_step: string | null;
  error: string | null;
}

/** A workspace's own parts of the runs, newest first, as runs of one workspace. */
export async function listWorkspaceRuns(
  db: D1Database,
  workspaceId: string,
  { beforeId, limit }: { beforeId: string | null; limit: number },
): Promise<{ runs: JobRun[]; hasMore: boolean }> {
  const rows = await db
    .prepare(
      `SELECT p.run_id, r.job, p.started_at, p.finished_at, p.clients, p.failed_step, p.error
       FROM job_run_workspaces p JOIN job_runs r ON r.id = p.run_id
       WHERE p.workspace_id = ?1 AND (?2 IS NULL OR p.run_id < ?2)
       ORDER BY p.run_id DESC LIMIT ?3`,
    )
    .bind(workspaceId, beforeId, limit + 1)
    .all<PartRaw>();
  return {
    runs: rows.results.slice(0, limit).map((p) => {
      const failed = p.error === null ? 0 : 1;
      return {
        id: p.run_id,
        job: p.job,
        status: statusOf(p.finished_at, failed),
        startedAt: p.started_at,
        finishedAt: p.finished_at,
        durationMs: durationOf(p.started_at, p.finished_at),
        workspaces: 1,
        clients: p.clients,
        failed,
        failures:
          p.error === null
            ? []
            : [{ workspaceId, step: p.failed_step ?? 'unknown', message: p.error }],
      };
    }),
    hasMore: rows.results.length > limit,
  };
}

/**
 * Workspaces whose latest part of a run failed, fewer than `maxFailures` times in a row: the
 * retry run's work. Past that they wait for the next nightly run, which takes every workspace.
 */
export async function workspacesToRetry(db: D1Database, maxFailures: number): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT f.workspace_id AS id FROM job_run_workspaces f
       WHERE f.error IS NOT NULL
         AND f.run_id = (SELECT MAX(run_id) FROM job_run_workspaces WHERE workspace_id = f.workspace_id)
         AND (SELECT COUNT(*) FROM job_run_workspaces e
              WHERE e.workspace_id = f.workspace_id AND e.error IS NOT NULL
                AND e.run_id > COALESCE((SELECT MAX(run_id) FROM job_run_workspaces s
                                         WHERE s.workspace_id = f.workspace_id AND s.error IS NULL), '')) < ?1
         AND EXISTS (SELECT 1 FROM workspaces w WHERE w.id = f.workspace_id)
       ORDER BY f.workspace_id`,
    )
    .bind(maxFailures)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/** Forgets runs started before the cutoff run id (for the nightly purge). */
export function purgeRunsStatements(db: D1Database, beforeId: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM job_run_workspaces WHERE run_id < ?1').bind(beforeId),
    db.prepare('DELETE FROM job_runs WHERE id < ?1').bind(beforeId),
  ];
}
