import { cohortTriangle, periodIndex, periodLabel } from '../../core/segments/cohorts.ts';
import { CohortAnswerSchema, CohortQuerySchema, MAX_COHORTS } from '../../schema/cohorts.ts';
import { WIDGET } from '../auth.ts';
import { cohortCells } from '../db/cohorts.ts';
import { ApiError } from '../problem.ts';
import { route } from '../route.ts';

/** Cohorts shown when `from` is left out: a year of months, or eight quarters. */
const DEFAULT_COHORTS = { month: 12, quarter: 8 } as const;

export const cohortRoutes = [
  route({
    method: 'GET',
    path: '/v1/cohorts',
    access: WIDGET,
    summary:
      'Cohort retention: clients grouped by the period of their first purchase, and how each cohort kept buying',
    description:
      'For each cohort from `from` to `to` (inclusive; months `YYYY-MM`, or with `period=quarter` quarters `YYYY-Qn` or a month in one) and each period from its first to `to`: how many of its clients bought (`active`), their `share` of the cohort, and the revenue (or margin, `measure=margin`) per cohort client. Maintained on every write as cohort × period counts, so a read costs the triangle it answers, not the portfolio. Erased clients leave their cohorts. At most 60 cohorts per answer.',
    query: CohortQuerySchema,
    responses: { 200: CohortAnswerSchema },
    examples: {
      response: {
        period: 'month',
        measure: 'revenue',
        from: '2026-09',
        to: '2026-11',
        currency: 'EUR',
        cohorts: [
          {
            cohort: '2026-09',
            clients: 40,
            periods: [
              { offset: 0, period: '2026-09', active: 40, share: 1, revenue: 120 },
              { offset: 1, period: '2026-10', active: 14, share: 0.35, revenue: 31.5 },
              { offset: 2, period: '2026-11', active: 11, share: 0.275, revenue: 26.25 },
            ],
          },
          {
            cohort: '2026-10',
            clients: 25,
            periods: [
              { offset: 0, period: '2026-10', active: 25, share: 1, revenue: 98 },
              { offset: 1, period: '2026-11', active: 9, share: 0.36, revenue: 22.4 },
            ],
          },
          {
            cohort: '2026-11',
            clients: 31,
            periods: [{ offset: 0, period: '2026-11', active: 31, share: 1, revenue: 104.1 }],
          },
        ],
      },
    },
    async handle({ auth, db, now, query }) {
      const grain = query.period;
      const to = periodIndex(grain, query.to ?? now.slice(0, 7));
      const from = query.from ? periodIndex(grain, query.from) : to - DEFAULT_COHORTS[grain] + 1;
      if (from > to)
        throw new ApiError(400, 'from must not be after to', {
          errors: [{ path: 'from', message: 'must not be after to' }],
        });
      if (to - from + 1 > MAX_COHORTS)
        throw new ApiError(400, `At most ${MAX_COHORTS} cohorts per answer`, {
          errors: [{ path: 'from', message: `must be at most ${MAX_COHORTS} periods before to` }],
        });
      const cells = await cohortCells(
        db,
        auth.workspace.id,
        grain,
        periodLabel(grain, from),
        periodLabel(grain, to),
      );
      const triangle = cohortTriangle(
        cells.map((c) => ({
          cohort: c.cohort,
          period: c.period,
          clients: c.clients,
          cents: query.measure === 'margin' ? c.marginCents : c.revenueCents,
        })),
        { grain, measure: query.measure, from, to },
      );
      return { ...triangle, currency: auth.workspace.settings.currency };
    },
  }),
];
