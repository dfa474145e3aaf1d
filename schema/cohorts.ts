import * as v from 'valibot';
import { MEASURES } from './segments.ts';

/** Cohorts and their periods are calendar months (`YYYY-MM`) or quarters (`YYYY-Qn`), UTC. */
export const COHORT_GRAINS = ['month', 'quarter'] as const;
export const CohortGrainSchema = v.picklist(COHORT_GRAINS, 'must be month or quarter');
export type CohortGrain = v.InferOutput<typeof CohortGrainSchema>;

/** The most cohorts one answer holds (a triangle of 60 cohorts has 1,830 cells). */
export const MAX_COHORTS = 60;

const PERIOD_LABEL = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/;
const PeriodLabelSchema = v.pipe(
  v.string(),
  v.regex(PERIOD_LABEL, 'must be a month (YYYY-MM) or a quarter (YYYY-Qn)'),
);

export const CohortQuerySchema = v.pipe(
  v.strictObject(
    {
      period: v.optional(CohortGrainSchema, 'month'),
      /** First cohort, inclusive: a month, or for quarters a quarter or a month in it; default: 11 months (7 quarters) before `to`. */
      from: v.optional(PeriodLabelSchema),
      /** Last cohort and last period shown, inclusive; default: the current month (quarter). */
      to: v.optional(PeriodLabelSchema),
      /** What `revenue` per cohort client sums: revenue (default) or margin. */
      measure: v.optional(v.picklist(MEASURES, 'must be revenue or margin'), 'revenue'),
    },
    (issue) =>
      issue.expected === 'never'
        ? 'is not a known parameter'
        : issue.input === undefined
          ? 'is required'
          : issue.message,
  ),
  v.forward(
    v.partialCheck(
      [['period'], ['from']],
      (q) => q.period === 'quarter' || !q.from?.includes('Q'),
      'must be a month (YYYY-MM) when period is month',
    ),
    ['from'],
  ),
  v.forward(
    v.partialCheck(
      [['period'], ['to']],
      (q) => q.period === 'quarter' || !q.to?.includes('Q'),
      'must be a month (YYYY-MM) when period is month',
    ),
    ['to'],
  ),
);
export type CohortQuery = v.InferOutput<typeof CohortQuerySchema>;

export const CohortPeriodSchema = v.object({
  /** Periods since the cohort's first: 0 is the period of the first purchase. */
  offset: v.number(),
  /** The calendar period (`YYYY-MM` or `YYYY-Qn`). */
  period: v.string(),
  /** Cohort clients who bought in this period. */
  active: v.number(),
  /** `active / clients`. */
  share: v.number(),
  /** The measure (revenue, or margin with `measure=margin`) in this period per cohort client. */
  revenue: v.number(),
});

export const CohortSchema = v.object({
  cohort: v.string(),
  /** Clients whose first purchase fell in the cohort's period. */
  clients: v.number(),
  periods: v.array(CohortPeriodSchema),
});
export type Cohort = v.InferOutput<typeof CohortSchema>;

export const CohortTriangleSchema = v.object({
  period: CohortGrainSchema,
  measure: v.picklist(MEASURES),
  from: v.string(),
  to: v.string(),
  cohorts: v.array(CohortSchema),
});
export type CohortTriangle = v.InferOutput<typeof CohortTriangleSchema>;
/** What the API answers: the triangle with the workspace currency of its revenue. */
export const CohortAnswerSchema = v.object({
  ...CohortTriangleSchema.entries,
  /** The workspace's currency (ISO 4217) of `revenue`. */
  currency: v.string(),
});
