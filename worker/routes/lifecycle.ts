import { buildFunnel } from '../../core/lifecycle/funnel.ts';
import { stageModel } from '../../core/lifecycle/models.ts';
import { addDays } from '../../core/time.ts';
import { type Funnel, FunnelQuerySchema, FunnelSchema } from '../../schema/lifecycle.ts';
import { WIDGET } from '../auth.ts';
import { funnelCounts } from '../db/funnel.ts';
import { route } from '../route.ts';

export const lifecycleRoutes = [
  route({
    method: 'GET',
    path: '/v1/lifecycle/funnel',
    access: WIDGET,
    summary: 'Clients per stage at asOf, entries within [from, to), conversions and days in stage',
    description:
      'Read from rollups maintained with every write, never from every client: counts are prefix sums of per-day and per-month entries and exits at `asOf`; medians (whole UTC days) come from day histograms kept as of the last scheduled sweep plus the transitions since. For an `asOf` before the last sweep the medians come from dyadic blocks of the same histograms by day of exit (at most 22 blocks a read), so any past `asOf` reads rollups only.',
    query: FunnelQuerySchema,
    responses: { 200: FunnelSchema },
    async handle({ auth, db, now, query: q }): Promise<Funnel> {
      const asOf = q.asOf ?? now;
      const to = q.to ?? asOf;
      const from = q.from ?? addDays(to, -365);
      const settings = auth.workspace.settings.lifecycle;
      const model = stageModel(settings.model);
      const path = model.stages.filter((s) => !model.dormantStages.includes(s));
      const { counts, furthest, total } = await funnelCounts(db, auth.workspace.id, path, {
        asOf,
        from,
        to,
      });
      return {
        model: model.name,
        asOf,
        from,
        to,
        total,
        stages: buildFunnel(model, counts, furthest, total, settings.stageLabels),
      };
    },
  }),
];
