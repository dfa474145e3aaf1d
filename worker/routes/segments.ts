import { abcXyz, resolveAbcXyzQuery } from '../../core/segments/abc-xyz.ts';
import { countTypes } from '../../core/segments/client-types.ts';
import { conversionAnswer } from '../../core/segments/conversion.ts';
import { portfolio, portfolioParams } from '../../core/segments/portfolio.ts';
import { rfm } from '../../core/segments/rfm.ts';
import {
  AbcXyzQuerySchema,
  AbcXyzResultSchema,
  ConversionQuerySchema,
  ConversionResultSchema,
  PortfolioQuerySchema,
  PortfolioResultSchema,
  RfmQuerySchema,
  RfmResultSchema,
  TypeCountsResultSchema,
  TypesQuerySchema,
} from '../../schema/segments.ts';
import { WIDGET } from '../auth.ts';
import { loadAllSnapshots } from '../db/clients.ts';
import { segmentFigures } from '../db/segment-rollups.ts';
import { loadPeriodsInWindow, loadRfmInputs } from '../db/segments.ts';
import { route } from '../route.ts';
import { classifiedPortfolio } from '../segmentation.ts';

export const segmentRoutes = [
  route({
    method: 'GET',
    path: '/v1/segments/abc-xyz',
    access: WIDGET,
    summary:
      'ABC by share of revenue (or margin) and XYZ by its stability per period, with the 3×3 matrix',
    description:
      'Window `[from, to)` on whole calendar months (default: the 12 months before the current one). A client is A while the share of those ranked above it is below 0.80, B below 0.95, else C; X when the coefficient of variation of its measure per period is ≤ 0.10, Y ≤ 0.25, else Z. Thresholds are settings.',
    query: AbcXyzQuerySchema,
    responses: { 200: AbcXyzResultSchema },
    async handle({ env, auth, now, query }) {
      const params = resolveAbcXyzQuery(query, now);
      const snapshots = await loadPeriodsInWindow(
        env.DB,
        auth.workspace.id,
        params.from.slice(0, 7),
        params.to.slice(0, 7),
      );
      return abcXyz(snapshots, params, auth.workspace.settings.segments);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/segments/rfm',
    access: WIDGET,
    summary:
      'Recency, frequency and monetary quintile scores (1–5) of every buyer and the named RFM segments',
    query: RfmQuerySchema,
    responses: { 200: RfmResultSchema },
    async handle({ env, auth, now, query }) {
      return rfm(
        await loadRfmInputs(env.DB, auth.workspace.id),
        query.asOf ?? now,
        auth.workspace.settings.segments,
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v1/segments/types',
    access: WIDGET,
    summary: 'How many clients carry each client type (golden, pioneer, fan, bad, sleeping…)',
    query: TypesQuerySchema,
    responses: { 200: TypeCountsResultSchema },
    async handle({ env, auth, now, query }) {
      const asOf = query.asOf ?? now;
      const { types } = await classifiedPortfolio(env.DB, auth.workspace, asOf);
      return countTypes(types.values(), asOf);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/segments/conversion',
    access: WIDGET,
    summary:
      'Per value of a client attribute: clients acquired, share developed, share that bought once and vanished, days to developed, revenue per client',
    description:
      'Read from rollups kept per top-level attribute value with every write (ingestion, client updates, erasure, re-derivation after a settings change), never from every client; `vanished` depends on the clock and is kept as of the nightly sweep, plus the transitions since. Days to developed are whole UTC days (the date developed minus the date of the first purchase); the median is exact.',
    query: ConversionQuerySchema,
    responses: { 200: ConversionResultSchema },
    async handle({ env, auth, now, query }) {
      const { clients, segments } = await segmentFigures(
        env.DB,
        auth.workspace.id,
        query.by,
        Date.parse(now),
      );
      return conversionAnswer(segments, clients, query);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/portfolio',
    access: WIDGET,
    summary:
      'Portfolio health: stage spread, revenue concentration (top-1, top-5, top-20%, HHI), key clients, mono-client and balance warnings, gold/silver/bronze',
    query: PortfolioQuerySchema,
    responses: { 200: PortfolioResultSchema },
    async handle({ env, auth, now, query }) {
      const settings = auth.workspace.settings;
      const params = portfolioParams(query, settings.segments, settings.lifecycle.model, now);
      return portfolio(
        await loadAllSnapshots(env.DB, auth.workspace.id, params.asOf),
        params,
        settings.segments,
      );
    },
  }),
];
