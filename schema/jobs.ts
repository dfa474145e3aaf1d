import * as v from 'valibot';

/**
 * Background jobs: `nightly` goes through every workspace (cron `17 3 * * *`); `nightly-retry`
 * (hourly) goes again through the workspaces whose latest part of a run failed.
 */
export const JobNameSchema = v.picklist(['nightly', 'nightly-retry']);
export type JobName = v.InferOutput<typeof JobNameSchema>;

/** What went wrong, said without internals: no SQL, no stack, no stored values. */
export const JobFailureSchema = v.object({
  /** Null for work outside any one workspace (the global purge, listing the workspaces). */
  workspaceId: v.nullable(v.string()),
  /** The step that failed, e.g. `settings`, `fit`, `restage`, `purge`. */
  step: v.string(),
  message: v.string(),
});
export type JobFailure = v.InferOutput<typeof JobFailureSchema>;

export const JobRunStatusSchema = v.picklist(['running', 'succeeded', 'failed']);

/**
 * One run of a job. Read with a workspace's secret key, it is that workspace's part only
 * (`workspaces` is 1, `clients` and `failures` its own).
 */
export const JobRunSchema = v.object({
  id: v.string(),
  job: JobNameSchema,
  /** `running` until it finishes; a run whose Worker died stays `running` with `finishedAt` null. */
  status: JobRunStatusSchema,
  startedAt: v.string(),
  finishedAt: v.nullable(v.string()),
  durationMs: v.nullable(v.number()),
  /** Workspaces the run went through so far, failed ones included. */
  workspaces: v.number(),
  /** Clients re-derived, summed over the workspaces. */
  clients: v.number(),
  /** How many failures the run had; `failures` lists at most the first 100. */
  failed: v.number(),
  failures: v.array(JobFailureSchema),
});
export type JobRun = v.InferOutput<typeof JobRunSchema>;

export const JobRunPageSchema = v.object({
  data: v.array(JobRunSchema),
  nextCursor: v.nullable(v.string()),
});

export const JOB_RUNS_MAX_LIMIT = 100;

export const JobRunListQuerySchema = v.strictObject({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${JOB_RUNS_MAX_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${JOB_RUNS_MAX_LIMIT}`),
      v.maxValue(JOB_RUNS_MAX_LIMIT, `must be a whole number from 1 to ${JOB_RUNS_MAX_LIMIT}`),
    ),
    '20',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512, 'is not a valid cursor'))),
});
