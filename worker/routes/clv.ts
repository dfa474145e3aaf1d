import { renderReason } from '../../core/messages/render.ts';
import * as v from 'valibot';
import { calculateClv } from '../../core/value/calculator.ts';
import { resolveFitRequest } from '../../core/value/model.ts';
import { retentionFit } from '../../core/value/sbg.ts';
import { modelDiagnostics } from '../../core/value/diagnostics.ts';
import { DAY_MS } from '../../schema/common.ts';
import {
  ClvCalculatorInputSchema,
  ClvCalculatorResultSchema,
  ClvFitRequestSchema,
  ClvModelSchema,
  InsufficientDataSchema,
  ModelDiagnosticsQuerySchema,
  ModelDiagnosticsSchema,
  RetentionFitRequestSchema,
  RetentionFitSchema,
} from '../../schema/value.ts';
import { SECRET, WIDGET } from '../auth.ts';
import { getModel, loadPurchases } from '../db/value.ts';
import { ApiError } from '../problem.ts';
import { route } from '../route.ts';
import { restageWorkspace } from '../restage.ts';
import { fitWorkspaceModel, sleepRuleFor } from '../value.ts';

const StoredModelSchema = v.union([ClvModelSchema, InsufficientDataSchema]);

export const clvRoutes = [
  route({
    method: 'POST',
    path: '/v1/clv/calculate',
    access: WIDGET,
    widgetScope: 'stateless',
    summary: 'The CLV calculator: CLV (simple and discounted), CLV/CAC, allowable CAC, payback',
    description:
      'With m = averageOrderValue × ordersPerPeriod × grossMargin collected at the end of each period: a lifetime L gives m·L and m·(1 − (1+d)^−L)/d; a retention rate r gives m/(1−r) and m/(1+d−r). clvToCac uses the discounted CLV; allowableCac = discounted CLV / targetRatio (default 3); paybackPeriods = CAC / m. Give exactly one of lifetimePeriods and retentionRate. Ratios that are undefined (CAC 0, margin 0) are null.',
    body: ClvCalculatorInputSchema,
    responses: { 200: ClvCalculatorResultSchema },
    examples: {
      body: {
        averageOrderValue: 120,
        ordersPerPeriod: 1.5,
        grossMargin: 0.35,
        lifetimePeriods: 18,
        discountRate: 0.01,
        acquisitionCost: 250,
        targetRatio: 3,
      },
    },
    handle({ body }) {
      return calculateClv(body);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/clv/model/fit',
    access: SECRET,
    idempotent: true,
    summary:
      'Fit a purchase model (BG/NBD, Pareto/NBD, MBG/NBD, BG/BB or the best on a holdout) and Gamma-Gamma to the purchase history, and store it',
    description:
      "`model` is `bgnbd` (default), `pnbd` (Pareto/NBD), `mbgnbd`, `bgbb` (discrete: one opportunity per `timeUnit` period after a client's first purchase, counted when it has a purchase) or `auto`: the continuous-time models are fitted on the purchases before `holdoutFrom` (default: the last quarter of the history), scored on the holdout by the error of their total and per-frequency-bin repeat purchases, and the best is refitted to `asOf`; `selection` says why (`reason`: `code`, `params` and `text` in the reader's language) with every candidate's scores. Profiles use the stored model. Same-day purchases by a client count as one transaction; time runs from a client's first purchase to `asOf`; the rate parameters are in `timeUnit`s. Below the published minimum (300 customers with a purchase and 100 repeat buyers, raisable in settings) nothing is fitted: the answer is 422 with what is missing, and profiles keep historic values. With `holdoutFrom`, a second fit on the purchases before it is judged against the repeat purchases in [holdoutFrom, asOf). Also run nightly by the cron trigger.",
    body: ClvFitRequestSchema,
    responses: { 200: ClvModelSchema },
    errors: {
      422: 'Too little purchase history for a fit; the body says what is missing (`reason`, `minimum`, `observed`)',
    },
    examples: { body: { timeUnit: 'week', model: 'pnbd' } },
    async handle({ ctx, auth, db, now, body }) {
      const settings = auth.workspace.settings;
      const resolved = resolveFitRequest(body, settings.value, now);
      if (!resolved.ok) throw new ApiError(400, 'Invalid fit request', { errors: resolved.errors });
      const model = await fitWorkspaceModel(db, auth.workspace.id, resolved.value, now);
      if ('status' in model)
        throw new ApiError(422, renderReason(model.reason, 'en'), {
          reason: model.reason,
          minimum: model.minimum,
          observed: model.observed,
        });
      if (settings.lifecycle.sleepingRule === 'pAlive') {
        // The sleeping rule follows the new model: re-derive histories off the response path.
        ctx.waitUntil(
          sleepRuleFor(db, auth.workspace.id, settings).then((rule) =>
            restageWorkspace(db, auth.workspace.id, settings, now, rule),
          ),
        );
      }
      return model;
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clv/model',
    access: SECRET,
    summary: 'The last fitted model: parameters, log-likelihood, convergence and diagnostics',
    responses: { 200: StoredModelSchema },
    async handle({ auth, db }) {
      const model = await getModel(db, auth.workspace.id);
      if (!model)
        throw new ApiError(
          404,
          'No model has been fitted for this workspace yet: POST /v1/clv/model/fit',
        );
      return model;
    },
  }),
  route({
    method: 'POST',
    path: '/v1/clv/retention/fit',
    access: SECRET,
    summary:
      'Fit the shifted-beta-geometric to a subscription cohort: retention, projected survivors, residual lifetimes',
    description:
      'Fader & Hardie (2007), "How to project customer retention": each subscriber churns at every renewal with its own probability θ ~ Beta(alpha, beta). `survivors[t]` counts the cohort still active at the start of period t. The answer projects the retention rate at each renewal and the survivors to `horizon` (default twice the observed periods), and gives the discounted expected lifetime of a new subscriber and the discounted expected residual lifetime of one who has renewed t times (Fader & Hardie 2010) at `discountRate` per period (default 0.1): multiply by the margin per period for a value. Nothing is stored.',
    body: RetentionFitRequestSchema,
    responses: { 200: RetentionFitSchema },
    examples: { body: { survivors: [1000, 631, 468, 382, 326, 289, 262, 241], horizon: 12 } },
    handle({ body }) {
      return retentionFit(body);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clv/model/diagnostics',
    access: SECRET,
    summary:
      'Checks of the stored model: calibration histogram, holdout purchases by frequency, weekly tracking',
    description:
      "As in Fader, Hardie & Lee (2005), Figures 2–4, for the stored continuous-time model (BG/NBD, Pareto/NBD, MBG/NBD): customers by repeat purchases in the calibration period (0 … 7+) against the model's expectation; repeat purchases in the holdout [asOf of the fit, `end`) by calibration frequency against the conditional expectations, with each bin's size; and the calibration customers' cumulative repeat purchases week by week against the model, with the week the calibration ends. `end` defaults to the day after the last purchase, so fitting with a past `asOf` leaves a holdout to check.",
    query: ModelDiagnosticsQuerySchema,
    responses: { 200: ModelDiagnosticsSchema },
    errors: { 422: 'No fitted model to check, or a BG/BB model (its checks are not offered)' },
    async handle({ auth, db, now, query }) {
      const model = await getModel(db, auth.workspace.id);
      if (!model)
        throw new ApiError(
          404,
          'No model has been fitted for this workspace yet: POST /v1/clv/model/fit',
        );
      if ('status' in model) throw new ApiError(422, renderReason(model.reason, 'en'));
      if (model.model === 'bgbb')
        throw new ApiError(422, 'Diagnostics cover the continuous-time models, not BG/BB');
      const transactions = await loadPurchases(db, auth.workspace.id, query.end ?? now);
      let last = 0;
      for (const t of transactions) last = Math.max(last, Date.parse(t.at));
      const end = query.end ?? new Date((Math.floor(last / DAY_MS) + 1) * DAY_MS).toISOString();
      if (!(Date.parse(end) > Date.parse(model.asOf)))
        throw new ApiError(400, 'Invalid diagnostics request', {
          errors: [{ path: 'end', message: 'must be after the fit’s asOf' }],
        });
      return modelDiagnostics(model, transactions, end);
    },
  }),
];
