import { describe, expect, it } from 'vitest';
import {
  CDNOW_CALIBRATION_END,
  CDNOW_HOLDOUT_END,
  cdnowTransactions,
} from '../../test/fixtures/cdnow/cdnow.ts';
import { renderReason } from '../messages/render.ts';
import { pnbdPAlive } from './pnbd.ts';
import { defaultHoldoutFrom, selectModel } from './select.ts';
import { pAliveSleepRule } from './sleep-rule.ts';
import { opportunitiesFromSummary, summariseOpportunities } from './summary.ts';

const at = (day: string) => `${day}T12:00:00.000Z`;

describe('summariseOpportunities (BG/BB’s view of a client)', () => {
  it('counts whole periods after the first purchase’s, with a purchase, before asOf', () => {
    const buy = (clientId: string, day: string) => ({ clientId, at: at(day), amount: 1 });
    const [a, b] = summariseOpportunities(
      [
        buy('a', '2020-01-10'),
        buy('a', '2020-01-20'), // same period as the first: not an opportunity
        buy('a', '2020-03-15'), // period 2
        buy('a', '2020-03-20'), // period 2 again: counted once
        buy('a', '2020-06-01'), // period 4
        buy('a', '2020-09-30'), // period 8, unfinished at asOf: not counted yet
        buy('b', '2020-08-01'),
      ],
      { asOf: '2020-10-01T00:00:00.000Z', timeUnit: 'month' },
    );
    expect(a).toEqual({ id: 'a', x: 2, tx: 4, n: 7 });
    expect(b).toEqual({ id: 'b', x: 0, tx: 0, n: 1 });
    // From the continuous summary: exact for a client buying at most once a period.
    expect(opportunitiesFromSummary({ x: 2, tx: 4.2, T: 8.6 }, 'month')).toEqual({
      x: 2,
      tx: 4,
      n: 7,
    });
  });
});

describe('auto model selection on CDNOW', () => {
  const transactions = cdnowTransactions().filter((t) => t.at < CDNOW_HOLDOUT_END);
  const selection = selectModel(transactions, {
    holdoutFrom: CDNOW_CALIBRATION_END,
    end: CDNOW_HOLDOUT_END,
    timeUnit: 'week',
  });

  it('scores the three continuous models on the 1,882 holdout purchases and keeps the lowest score', () => {
    if ('status' in selection) throw new Error(renderReason(selection.reason, 'en'));
    expect(selection.candidates.map((c) => c.model)).toEqual(['bgnbd', 'pnbd', 'mbgnbd']);
    for (const c of selection.candidates) {
      expect(c.actual).toBe(1882);
      expect(c.score).toBeCloseTo(c.totalError + c.binError, 12);
      expect(c.totalError).toBeCloseTo(Math.abs(c.predicted - 1882) / 1882, 12);
    }
    const best = selection.candidates.reduce((p, q) => (q.score < p.score ? q : p));
    expect(selection.chosen).toBe(best.model);
    expect(selection.reason).toMatchObject({
      code: 'lowest_holdout_error',
      params: { model: best.model, totalError: best.totalError, binError: best.binError },
    });
    const names = { bgnbd: 'BG/NBD', pnbd: 'Pareto/NBD', mbgnbd: 'MBG/NBD', bgbb: 'BG/BB' };
    expect(renderReason(selection.reason, 'en')).toMatch(
      new RegExp(`^${names[best.model]} predicted the holdout best: .* the next best$`),
    );
  });

  it('defaults the holdout to the last quarter of the history', () => {
    // 1997-01-01 to 1998-07-01 is 546 days: the cut falls 136.5 days before the end, rounded down to a day.
    expect(defaultHoldoutFrom(transactions, CDNOW_HOLDOUT_END)).toBe('1998-02-14T00:00:00.000Z');
  });
});

describe('the P(alive) sleeping rule for a model without a closed form', () => {
  it('sleeps a Pareto/NBD client where P(alive) crosses the threshold', () => {
    const params = { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 };
    const WEEK = 7 * 86_400_000;
    const days = [0, 3 * WEEK, 5 * WEEK];
    const fallback = () => null;
    const ms = pAliveSleepRule({ model: 'pnbd', params, timeUnit: 'week' }, 0.4, fallback)(days)!;
    const silence = ms / WEEK;
    const c = (s: number) => ({ x: 2, tx: 5, T: 5 + s });
    expect(pnbdPAlive(params, c(silence))).toBeLessThan(0.4);
    expect(pnbdPAlive(params, c(silence - 0.01))).toBeGreaterThanOrEqual(0.4);
  });
});
