import { abcXyz, resolveAbcXyzQuery } from '../../core/segments/abc-xyz.ts';
import { countTypes } from '../../core/segments/client-types.ts';
import { conversionAnswer } from '../../core/segments/conversion.ts';
import {
  assemblePortfolio,
  keyClient,
  portfolio,
  portfolioParams,
} from '../../core/segments/portfolio.ts';
import { portfolioSumsFromSnapshot } from '../../core/segments/snapshot-portfolio.ts';
import { round } from '../../core/stats.ts';
import { rfm } from '../../core/segments/rfm.ts';
import {
  abcXyzFromSnapshot,
  rfmSegmentsFromSnapshot,
  typeCountsFromSnapshot,
} from '../../core/segments/snapshot-answers.ts';
import {
  AbcXyzAnswerSchema,
  AbcXyzQuerySchema,
  ConversionQuerySchema,
  ConversionAnswerSchema,
  PortfolioQuerySchema,
  PortfolioResultSchema,
  RfmAnswerSchema,
  RfmQuerySchema,
  TypeCountsAnswerSchema,
  TypesQuerySchema,
} from '../../schema/segments.ts';
import { WIDGET } from '../auth.ts';
import { clientNames, countClients, loadAllSnapshots } from '../db/clients.ts';
import { segmentFigures } from '../db/segment-rollups.ts';
import { abcPage, classCounts, currentSnapshot, rfmPage } from '../db/snapshots.ts';
import { keyPosition, pager, parseKeyPosition } from '../snapshot-reads.ts';
import { loadPeriodsInWindow, loadRfmInputs } from '../db/segments.ts';
import {
  portfolioState,
  presentClients,
  tierPage,
  topKeyClients,
} from '../db/snapshot-portfolio.ts';
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
    responses: { 200: AbcXyzAnswerSchema },
    async handle({ env, auth, db, now, query }) {
      const ws = auth.workspace;
      const currency = ws.settings.currency;
      const fromSnapshot =
        query.from === undefined &&
        query.to === undefined &&
        query.period === 'month' &&
        query.measure === 'revenue';
      const snap = fromSnapshot ? await currentSnapshot(db, ws.id) : null;
      if (snap) {
        const pages = pager(env, ws.id, `abc-xyz:${snap.id}`);
        const after = parseKeyPosition(await pages.read(query.cursor));
        const [counts, page] = await Promise.all([
          classCounts(db, ws.id, snap.id),
          abcPage(
            db,
            ws.id,
            snap.id,
            after && { valueCents: after.key, clientId: after.clientId },
            query.limit + 1,
          ),
        ]);
        const last = page.length > query.limit ? page[query.limit - 1]! : null;
        return {
          ...abcXyzFromSnapshot(snap, counts, page.slice(0, query.limit)),
          computedAt: snap.computedAt,
          nextCursor: await pages.next(last && keyPosition(last.valueCents, last.id)),
          currency,
        };
      }
      // Another window or measure than the snapshot's (or no snapshot yet): computed on the spot.
      const params = resolveAbcXyzQuery(query, now);
      const snapshots = await loadPeriodsInWindow(
        db,
        ws.id,
        params.from.slice(0, 7),
        params.to.slice(0, 7),
      );
      const result = abcXyz(snapshots, params, ws.settings.segments);
      // Every client of the workspace not classified, as the snapshot counts them (the buckets
      // read here only hold the clients that bought in the window).
      const excluded = (await countClients(db, ws.id)) - result.clients.length;
      const pages = pager(
        env,
        ws.id,
        `abc-xyz:live:${params.from}:${params.to}:${params.period}:${params.measure}`,
      );
      const afterRank = Number((await pages.read(query.cursor)) ?? 0);
      const rest = result.clients.filter((c) => c.rank > afterRank);
      const page = rest.slice(0, query.limit);
      const names = await clientNames(
        db,
        ws.id,
        page.map((c) => c.id),
      );
      return {
        ...result,
        excluded,
        clients: page.map((c) => ({ ...c, name: names.get(c.id) ?? null })),
        computedAt: now,
        nextCursor: await pages.next(rest.length > query.limit ? String(page.at(-1)!.rank) : null),
        currency,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/segments/rfm',
    access: WIDGET,
    summary:
      'Recency, frequency and monetary quintile scores (1–5) of every buyer and the named RFM segments',
    query: RfmQuerySchema,
    responses: { 200: RfmAnswerSchema },
    async handle({ env, auth, db, now, query }) {
      const ws = auth.workspace;
      const currency = ws.settings.currency;
      const snap = query.asOf === undefined ? await currentSnapshot(db, ws.id) : null;
      if (snap) {
        const pages = pager(env, ws.id, `rfm:${snap.id}`);
        const after = parseKeyPosition(await pages.read(query.cursor));
        const [counts, page] = await Promise.all([
          classCounts(db, ws.id, snap.id),
          rfmPage(db, ws.id, snap.id, after, query.limit + 1),
        ]);
        const last = page.length > query.limit ? page[query.limit - 1]! : null;
        const keyOf = (c: { r: number | null; f: number | null; m: number | null }) =>
          c.r === null ? 0 : c.r * 100 + c.f! * 10 + c.m!;
        return {
          asOf: snap.asOf,
          clients: page.slice(0, query.limit),
          segments: rfmSegmentsFromSnapshot(snap, counts),
          computedAt: snap.computedAt,
          nextCursor: await pages.next(last && keyPosition(keyOf(last), last.id)),
          currency,
        };
      }
      // At another instant than the snapshot's (or before the first one): computed on the spot.
      const asOf = query.asOf ?? now;
      const result = rfm(await loadRfmInputs(db, ws.id), asOf, ws.settings.segments);
      const pages = pager(env, ws.id, `rfm:live:${asOf}`);
      const start = Number((await pages.read(query.cursor)) ?? 0);
      const page = result.clients.slice(start, start + query.limit);
      const names = await clientNames(
        db,
        ws.id,
        page.map((c) => c.id),
      );
      return {
        ...result,
        clients: page.map((c) => ({ ...c, name: names.get(c.id) ?? null })),
        computedAt: now,
        nextCursor: await pages.next(
          start + query.limit < result.clients.length ? String(start + query.limit) : null,
        ),
        currency,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/segments/types',
    access: WIDGET,
    summary: 'How many clients carry each client type (golden, pioneer, fan, bad, sleeping…)',
    query: TypesQuerySchema,
    responses: { 200: TypeCountsAnswerSchema },
    async handle({ auth, db, now, query }) {
      const snap = query.asOf === undefined ? await currentSnapshot(db, auth.workspace.id) : null;
      if (snap) {
        const counts = await classCounts(db, auth.workspace.id, snap.id);
        return { ...typeCountsFromSnapshot(snap, counts), computedAt: snap.computedAt };
      }
      const asOf = query.asOf ?? now;
      const { types } = await classifiedPortfolio(db, auth.workspace, asOf);
      return { ...countTypes(types.values(), asOf), computedAt: now };
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
    responses: { 200: ConversionAnswerSchema },
    async handle({ auth, db, now, query }) {
      const { clients, segments } = await segmentFigures(
        db,
        auth.workspace.id,
        query.by,
        Date.parse(now),
      );
      return {
        ...conversionAnswer(segments, clients, query),
        currency: auth.workspace.settings.currency,
      };
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
    async handle({ env, auth, db, now, query }) {
      const ws = auth.workspace;
      const settings = ws.settings;
      const currency = settings.currency;
      const model = settings.lifecycle.model;
      const snap =
        query.asOf === undefined && query.months === undefined
          ? await currentSnapshot(db, ws.id)
          : null;
      if (snap) {
        const pages = pager(env, ws.id, `portfolio:${snap.id}`);
        const afterRank = Number((await pages.read(query.cursor)) ?? 0);
        const [state, counts] = await Promise.all([
          portfolioState(db, ws.id, snap.id),
          classCounts(db, ws.id, snap.id),
        ]);
        const total = state.totalRevenue;
        const [page, keys, present] = await Promise.all([
          tierPage(db, ws.id, snap.id, afterRank, query.limit + 1, total),
          topKeyClients(db, ws.id, snap.id, query.limit, total),
          presentClients(
            db,
            ws.id,
            snap.id,
            state.portfolio.mono.flatMap((w) => (w.clientId ? [w.clientId] : [])),
          ),
        ]);
        const figures = assemblePortfolio(
          portfolioSumsFromSnapshot(snap, state, counts, present),
          snap.asOf,
          { months: snap.settings.windowMonths, model },
          snap.settings,
        );
        const tiers = page.slice(0, query.limit);
        return {
          ...figures,
          keyClients: keys.map((k) => ({
            ...keyClient(k.id, k, total, state.totalMargin, k.keyReasons ?? []),
            name: k.name,
          })),
          tiers: {
            counts: figures.tiers.counts,
            clients: tiers.map(({ id, name, tier, revenue, share, reason }) => ({
              id,
              name,
              tier,
              revenue,
              share: round(share, 6),
              reason,
            })),
            nextCursor: await pages.next(
              page.length > query.limit ? String(tiers.at(-1)!.rank) : null,
            ),
          },
          computedAt: snap.computedAt,
          currency,
        };
      }
      // Another window or instant than the snapshot's (or no snapshot yet): computed on the spot.
      const params = portfolioParams(query, settings.segments, model, now);
      const result = portfolio(
        await loadAllSnapshots(db, ws.id, params.asOf),
        params,
        settings.segments,
      );
      const pages = pager(env, ws.id, `portfolio:live:${params.asOf}:${params.months}`);
      const start = Number((await pages.read(query.cursor)) ?? 0);
      const tiers = result.tiers.clients.slice(start, start + query.limit);
      const keys = result.keyClients.slice(0, query.limit);
      const names = await clientNames(db, ws.id, [
        ...new Set([...tiers.map((c) => c.id), ...keys.map((c) => c.id)]),
      ]);
      const named = <T extends { id: string }>(c: T) => ({ ...c, name: names.get(c.id) ?? null });
      return {
        ...result,
        keyClients: keys.map(named),
        tiers: {
          counts: result.tiers.counts,
          clients: tiers.map(named),
          nextCursor: await pages.next(
            start + query.limit < result.tiers.clients.length ? String(start + query.limit) : null,
          ),
        },
        computedAt: now,
        currency,
      };
    },
  }),
];
