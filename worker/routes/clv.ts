import { renderReason } from '../../core/messages/render.ts';
import * as v from 'valibot';
import { calculateClv } from '../../core/value/calculator.ts';
import { resolveFitRequest } from '../../core/value/model.ts';
import {
  ClvCalculatorInputSchema,
  ClvCalculatorResultSchema,
  ClvFitRequestSchema,
  ClvModelSchema,
  InsufficientDataSchema,
} from '../../schema/value.ts';
import { SECRET, WIDGET } from '../auth.ts';
import { getModel } from '../db/value.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';
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
      'Fit BG/NBD and Gamma-Gamma to the purchase history and store the model (optionally with a backtest)',
    description:
      "Same-day purchases by a client count as one transaction; time runs from a client's first purchase to `asOf`; `alpha` is in `timeUnit`s. Below the published minimum (300 customers with a purchase and 100 repeat buyers, raisable in settings) nothing is fitted: the answer is 422 with what is missing, and profiles keep historic values. With `holdoutFrom`, a second fit on the purchases before it is judged against the repeat purchases in [holdoutFrom, asOf). Also run nightly by the cron trigger.",
    body: ClvFitRequestSchema,
    responses: { 200: ClvModelSchema },
    errors: {
      422: 'Too little purchase history for a fit; the body says what is missing (`reason`, `minimum`, `observed`)',
    },
    examples: { body: { timeUnit: 'week' } },
    async handle({ env, ctx, auth, now, body }) {
      const settings = auth.workspace.settings;
      const resolved = resolveFitRequest(body, settings.value, now);
      if (!resolved.ok) throw new ApiError(400, 'Invalid fit request', { errors: resolved.errors });
      const model = await fitWorkspaceModel(env.DB, auth.workspace.id, resolved.value, now);
      if ('status' in model)
        throw new ApiError(422, renderReason(model.reason, 'en'), {
          reason: model.reason,
          minimum: model.minimum,
          observed: model.observed,
        });
      if (settings.lifecycle.sleepingRule === 'pAlive') {
        // The sleeping rule follows the new model: re-derive histories off the response path.
        ctx.waitUntil(
          sleepRuleFor(env.DB, auth.workspace.id, settings).then((rule) =>
            restageWorkspace(env.DB, auth.workspace.id, settings, now, rule),
          ),
        );
      }
      return json(model);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clv/model',
    access: SECRET,
    summary: 'The last fitted model: parameters, log-likelihood, convergence and diagnostics',
    responses: { 200: StoredModelSchema },
    async handle({ env, auth }) {
      const model = await getModel(env.DB, auth.workspace.id);
      if (!model)
        throw new ApiError(
          404,
          'No model has been fitted for this workspace yet: POST /v1/clv/model/fit',
        );
      return model;
    },
  }),
];
