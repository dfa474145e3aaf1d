import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../schema/common.ts';
import { LifecycleSettingsSchema } from '../../schema/lifecycle.ts';
import { daysSleepRule } from '../lifecycle/stages.ts';
import { pAlive } from './bgnbd.ts';
import { pAliveSleepRule } from './sleep-rule.ts';

const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const fallback = daysSleepRule(v.parse(LifecycleSettingsSchema, {}));
const day = (n: number) => n * DAY_MS;

describe('sleeping by P(alive)', () => {
  it('falls asleep exactly where P(alive) crosses the threshold', () => {
    const rule = pAliveSleepRule({ model: 'bgnbd', params, timeUnit: 'week' }, 0.3, fallback);
    const days = [day(0), day(14), day(70)]; // x = 2 repeat days, tx = 10 weeks
    const after = rule(days)!;
    const T = (day(70) + after - day(0)) / (7 * DAY_MS);
    expect(pAlive(params, { x: 2, tx: 10, T })).toBeCloseTo(0.3, 9);
    expect(pAlive(params, { x: 2, tx: 10, T: T - 0.5 })).toBeGreaterThan(0.3);
  });
  it('sleeps sooner for a stricter threshold', () => {
    const days = [day(0), day(7), day(21), day(28)];
    const loose = pAliveSleepRule(
      { model: 'bgnbd', params, timeUnit: 'week' },
      0.2,
      fallback,
    )(days)!;
    const strict = pAliveSleepRule(
      { model: 'bgnbd', params, timeUnit: 'week' },
      0.6,
      fallback,
    )(days)!;
    expect(strict).toBeLessThan(loose);
  });
  it('keeps the days rule for one-time buyers, whom BG/NBD never lets die', () => {
    const rule = pAliveSleepRule({ model: 'bgnbd', params, timeUnit: 'week' }, 0.3, fallback);
    expect(rule([day(5)])).toBe(fallback([day(5)]));
  });
});
