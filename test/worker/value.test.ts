import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { ClientProfileSchema } from '../../schema/profile.ts';
import { cdnowCsv } from './cdnow-csv.ts';
import {
  call,
  callJson,
  createWorkspace,
  expectProblem,
  postEvents,
  tableCounts,
} from './helpers.ts';

const importCsv = (key: string, csv: string, contentType = 'text/csv') =>
  call('/v1/import/transactions', { key, raw: csv, contentType });

describe('CLV calculator endpoint', () => {
  it('answers the formulas and names bad fields', async () => {
    const ws = await createWorkspace({ allowedOrigins: ['https://site.example'] });
    const { status, body } = await callJson('/v1/clv/calculate', {
      key: ws.publishableKey,
      origin: 'https://site.example',
      body: {
        averageOrderValue: 100,
        ordersPerPeriod: 2,
        grossMargin: 0.5,
        lifetimePeriods: 10,
        discountRate: 0,
        acquisitionCost: 250,
      },
    });
    expect(status).toBe(200);
    // m = 100 × 2 × 0.5 = 100; CLV = 1000; CLV/CAC = 4; allowable = 1000/3; payback = 2.5
    expect(body).toMatchObject({
      periodMargin: 100,
      clvSimple: 1000,
      clvDiscounted: 1000,
      clvToCac: 4,
      paybackPeriods: 2.5,
      netValue: 750,
      meetsTarget: true,
    });
    expect(body.allowableCac).toBeCloseTo(333.333, 2);
    const bad = await call('/v1/clv/calculate', {
      key: ws.secretKey,
      body: {
        averageOrderValue: -1,
        ordersPerPeriod: 1,
        grossMargin: 1.5,
        lifetimePeriods: 10,
        retentionRate: 0.5,
        discountRate: 0.1,
        acquisitionCost: 1,
      },
    });
    await expectProblem(bad, 400, ['averageOrderValue', 'grossMargin']);
  });
});

describe('import, fit, backtest and profile on CDNOW', () => {
  it('imports the CDNOW sample, refits the published BG/NBD, backtests the holdout, and re-imports as duplicates', async () => {
    const ws = await createWorkspace();
    const csv = cdnowCsv();
    const rows = csv.trim().split('\n').length - 1;
    const first = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: csv,
      contentType: 'text/csv',
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ imported: rows, duplicates: 0, rows, clients: 2357 });
    const again = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: csv,
      contentType: 'text/csv',
    });
    expect(again.body).toMatchObject({ imported: 0, duplicates: rows });

    await expectProblem(await call('/v1/clv/model', { key: ws.secretKey }), 404);
    const fit = await callJson('/v1/clv/model/fit', {
      key: ws.secretKey,
      body: { asOf: '1998-07-01', holdoutFrom: '1997-10-01', timeUnit: 'week' },
    });
    expect(fit.status).toBe(200);
    const backtest = fit.body.backtest;
    // Calibration to 1997-09-30, holdout to 1998-06-30: 39 weeks, 1,882 repeat purchases happened.
    expect(backtest).toMatchObject({ customers: 2357, actual: 1882 });
    expect(backtest.holdoutLength).toBeCloseTo(39, 6);
    expect(Math.abs(backtest.predicted - 1882) / 1882).toBeLessThan(0.15);
    expect(backtest.groups.reduce((n: number, g: { actual: number }) => n + g.actual, 0)).toBe(
      1882,
    );

    const calibration = await callJson('/v1/clv/model/fit', {
      key: ws.secretKey,
      body: { asOf: '1997-10-01', timeUnit: 'week' },
    });
    expect(calibration.body.customers).toBe(2357);
    expect(calibration.body.params.r).toBeCloseTo(0.243, 3);
    expect(calibration.body.params.alpha).toBeCloseTo(4.414, 2);
    expect(calibration.body.params.a).toBeCloseTo(0.793, 3);
    expect(calibration.body.params.b).toBeCloseTo(2.426, 2);
    expect(calibration.body.logLikelihood).toBeCloseTo(-9582.4, 0);
    const stored = await callJson('/v1/clv/model', { key: ws.secretKey });
    expect(stored.body.params).toEqual(calibration.body.params);
    expect(stored.body.model).toBe('bgnbd');
    const bgnbdProfile = await callJson('/v1/clients/4', { key: ws.secretKey });

    // The other models, by name, on the same calibration period.
    const fitModel = async (body: Record<string, unknown>) => {
      const res = await callJson('/v1/clv/model/fit', { key: ws.secretKey, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const pnbd = await fitModel({ asOf: '1997-10-01', timeUnit: 'week', model: 'pnbd' });
    expect(pnbd.model).toBe('pnbd');
    expect(pnbd.params.r).toBeCloseTo(0.553, 3);
    expect(pnbd.params.alpha).toBeCloseTo(10.58, 2);
    expect(pnbd.params.s).toBeCloseTo(0.606, 3);
    expect(pnbd.params.beta).toBeCloseTo(11.67, 1);
    expect(pnbd.logLikelihood).toBeCloseTo(-9595.0, 0);
    expect((await callJson('/v1/clv/model', { key: ws.secretKey })).body).toMatchObject({
      model: 'pnbd',
      params: pnbd.params,
    });
    // The checks of the stored Pareto/NBD: the holdout runs to the day after the last purchase.
    const checks = await callJson('/v1/clv/model/diagnostics', { key: ws.secretKey });
    expect(checks.status).toBe(200);
    expect(checks.body).toMatchObject({ model: 'pnbd', end: '1998-07-01T00:00:00.000Z' });
    expect(checks.body.histogram[0]).toMatchObject({ frequency: '0', actual: 1411 });
    expect(
      checks.body.holdout.bins.reduce((n: number, b: { actual: number }) => n + b.actual, 0),
    ).toBe(1882);
    expect(checks.body.tracking.calibrationEndWeek).toBe(39);
    expect(checks.body.tracking.weeks.at(-1).actual).toBe(2457 + 1882);
    await expectProblem(
      await call('/v1/clv/model/diagnostics?end=1997-06-01', { key: ws.secretKey }),
      400,
      ['end'],
    );
    const pnbdProfile = await callJson('/v1/clients/4', { key: ws.secretKey });
    expect(pnbdProfile.body.clv.basis).toBe('model');
    expect(pnbdProfile.body.clv.pAlive).not.toBe(bgnbdProfile.body.clv.pAlive);
    const mbgnbd = await fitModel({ asOf: '1997-10-01', timeUnit: 'week', model: 'mbgnbd' });
    expect(mbgnbd.params.r).toBeCloseTo(0.5248, 3);
    expect(mbgnbd.params.b).toBeCloseTo(1.614, 2);
    const bgbb = await fitModel({ asOf: '1997-10-01', timeUnit: 'month', model: 'bgbb' });
    expect(bgbb).toMatchObject({ model: 'bgbb', timeUnit: 'month', converged: true });
    expect(Object.keys(bgbb.params).sort()).toEqual(['alpha', 'beta', 'delta', 'gamma']);

    // auto: the continuous models judged on the 39-week holdout, the winner refitted to the end.
    const auto = await fitModel({
      asOf: '1998-07-01',
      holdoutFrom: '1997-10-01',
      timeUnit: 'week',
      model: 'auto',
    });
    const { selection } = auto;
    expect(selection.candidates.map((c: { model: string }) => c.model)).toEqual([
      'bgnbd',
      'pnbd',
      'mbgnbd',
    ]);
    for (const c of selection.candidates) expect(c.actual).toBe(1882);
    const best = Math.min(...selection.candidates.map((c: { score: number }) => c.score));
    expect(
      selection.candidates.find((c: { model: string }) => c.model === selection.chosen).score,
    ).toBe(best);
    expect(auto.model).toBe(selection.chosen);
    expect(selection.reason).toMatchObject({
      code: 'lowest_holdout_error',
      params: { model: selection.chosen },
    });
    expect(selection.reason.text).toMatch(/predicted the holdout best/);
    expect(auto.backtest.model).toBe(selection.chosen);

    const profile = await callJson('/v1/clients/4', { key: ws.secretKey });
    expect(profile.body.clv).toMatchObject({ basis: 'model', historicClv: expect.any(Number) });
    expect(profile.body.clv.pAlive).toBeGreaterThan(0);
    expect(profile.body.clv.churnProbability).toBeCloseTo(1 - profile.body.clv.pAlive, 9);
    // The answer is exactly what the OpenAPI document says it is.
    expect(v.safeParse(ClientProfileSchema, profile.body).issues).toBeUndefined();
  }, 60_000);

  it('a fit below the published minimum is a 422 saying what is missing, and the profile stays historic', async () => {
    const ws = await createWorkspace();
    await postEvents(ws.secretKey, [
      { id: 'p1', clientId: 'solo', type: 'purchase', at: '2024-01-01', amount: 10 },
    ]);
    const res = await call('/v1/clv/model/fit', { key: ws.secretKey, body: {} });
    const problem = await expectProblem(res, 422);
    expect(problem.detail).toMatch(/300/);
    const profile = await callJson('/v1/clients/solo', { key: ws.secretKey });
    expect(profile.body.clv).toMatchObject({
      basis: 'historic',
      historicClv: 10,
      predictedClv: null,
    });
    expect(profile.body.lead).toMatchObject({
      lead: false,
      missing: ['contact', 'wish', 'budget'],
    });
    expect(v.safeParse(ClientProfileSchema, profile.body).issues).toBeUndefined();
    await expectProblem(
      await call('/v1/clv/model/fit', { key: ws.secretKey, body: { timeUnit: 'fortnight' } }),
      400,
      ['timeUnit'],
    );
    await expectProblem(
      await call('/v1/clv/model/fit', { key: ws.secretKey, body: { asOf: '2100-01-01' } }),
      400,
      ['asOf'],
    );
  });
});

describe('retention fit (shifted-beta-geometric)', () => {
  it('reproduces Fader & Hardie (2007) and names a rising count', async () => {
    const ws = await createWorkspace();
    const { status, body } = await callJson('/v1/clv/retention/fit', {
      key: ws.secretKey,
      body: { survivors: [1000, 631, 468, 382, 326, 289, 262, 241], horizon: 12 },
    });
    expect(status).toBe(200);
    expect(body.alpha).toBeCloseTo(0.704, 3);
    expect(body.beta).toBeCloseTo(1.182, 3);
    expect(body.retention).toHaveLength(12);
    expect(body.survival).toHaveLength(13);
    expect(body.survival[0]).toBe(1000);
    expect(body.residualLifetime).toHaveLength(8);
    expect(body.expectedLifetime).toBeGreaterThan(1);
    await expectProblem(
      await call('/v1/clv/retention/fit', {
        key: ws.secretKey,
        body: { survivors: [100, 120], horizon: 0 },
      }),
      400,
      ['survivors', 'horizon'],
    );
  });
});

describe('CSV import validation', () => {
  it.each([
    ['missing column', 'client_id,date\nacme,2024-01-01\n', ['line.1.amount']],
    ['unknown column', 'client_id,date,amount,colour\nacme,2024-01-01,5,red\n', ['line.1.colour']],
    ['bad date', 'client_id,date,amount\nacme,2024-01-01,5\nacme,2024-02-31,5\n', ['line.3.date']],
    ['bad amount', 'client_id,date,amount\nacme,2024-01-01,five\n', ['line.2.amount']],
    ['negative amount', 'client_id,date,amount\nacme,2024-01-01,-5\n', ['line.2.amount']],
    ['short row', 'client_id,date,amount\nacme,2024-01-01\n', ['line.2']],
    ['empty id', 'client_id,date,amount\n,2024-01-01,5\n', ['line.2.client_id']],
    ['header only', 'client_id,date,amount\n', ['line.2']],
    ['unclosed quote', 'client_id,date,amount\n"acme,2024-01-01,5\n', ['line.2']],
  ])('%s is a 400 naming the line and column, nothing stored', async (_name, csv, paths) => {
    const ws = await createWorkspace();
    const before = await tableCounts();
    await expectProblem(await importCsv(ws.secretKey, csv), 400, paths);
    expect(await tableCounts()).toEqual(before);
  });

  it('needs text/csv and reads quoted fields, CRLF, a BOM and ISO times', async () => {
    const ws = await createWorkspace();
    await expectProblem(
      await importCsv(ws.secretKey, 'client_id,date,amount\n', 'application/json'),
      415,
    );
    const csv =
      '\uFEFFclient_id,date,amount,product\r\n"Acme, Inc.",2024-01-01T10:00:00+03:00,5.50,"The ""Pro"" plan"\r\nglobex,2024-01-02,7,\r\n';
    const { body } = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: csv,
      contentType: 'text/csv; charset=utf-8',
    });
    expect(body).toMatchObject({ imported: 2, clients: 2 });
    const events = await env.DB.prepare(
      "SELECT body FROM events WHERE workspace_id = ?1 AND client_id = 'Acme, Inc.'",
    )
      .bind(ws.id)
      .all<{ body: string }>();
    expect(JSON.parse(events.results[0]!.body)).toMatchObject({
      at: '2024-01-01T07:00:00.000Z',
      amount: 5.5,
      product: 'The "Pro" plan',
    });
  });

  it('counts identical purchases in one file separately', async () => {
    const ws = await createWorkspace();
    const { body } = await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: 'client_id,date,amount\na,2024-01-01,5\na,2024-01-01,5\n',
      contentType: 'text/csv',
    });
    expect(body).toMatchObject({ imported: 2, duplicates: 0 });
  });
});
