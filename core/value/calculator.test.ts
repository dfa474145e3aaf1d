import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClvCalculatorInput, ClvCalculatorResult } from '../../schema/value.ts';
import { calculateClv, checkClvInput } from './calculator.ts';

// m = 100 × 2 × 0.5 = 100 in every row unless the row changes the order value or margin.
const base = {
  averageOrderValue: 100,
  ordersPerPeriod: 2,
  grossMargin: 0.5,
  discountRate: 0.1,
  acquisitionCost: 50,
};

describe('calculateClv: formulas, computed by hand', () => {
  it.each<[string, ClvCalculatorInput, ClvCalculatorResult]>([
    [
      // 100/1.1 + 100/1.21 + 100/1.331 = 90.909091 + 82.644628 + 75.131480
      'lifetime 3 at 10%: the discounted CLV is the sum of three discounted period margins',
      { ...base, lifetimePeriods: 3 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 3,
        clvSimple: 300,
        clvDiscounted: 248.685199,
        clvToCac: 4.973704,
        allowableCac: 82.895066,
        paybackPeriods: 0.5,
        netValue: 198.685199,
        meetsTarget: true,
      },
    ],
    [
      'lifetime 3 with no discounting: discounted = simple = m·L',
      { ...base, lifetimePeriods: 3, discountRate: 0 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 3,
        clvSimple: 300,
        clvDiscounted: 300,
        clvToCac: 6,
        allowableCac: 100,
        paybackPeriods: 0.5,
        netValue: 250,
        meetsTarget: true,
      },
    ],
    [
      // lifetime 1/(1−0.8) = 5; simple 100/0.2; discounted 100/(1.1−0.8) = 333.333…
      'retention 0.8 at 10%: below the target ratio',
      { ...base, retentionRate: 0.8, acquisitionCost: 200 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 5,
        clvSimple: 500,
        clvDiscounted: 333.333333,
        clvToCac: 1.666667,
        allowableCac: 111.111111,
        paybackPeriods: 2,
        netValue: 133.333333,
        meetsTarget: false,
      },
    ],
    [
      'retention 0, no discounting: one period, paid at its end',
      { ...base, retentionRate: 0, discountRate: 0 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 1,
        clvSimple: 100,
        clvDiscounted: 100,
        clvToCac: 2,
        allowableCac: 33.333333,
        paybackPeriods: 0.5,
        netValue: 50,
        meetsTarget: false,
      },
    ],
    [
      // docs/domain.md 4: 30k per lifetime at a 3k acquisition is exactly 10×
      'a ratio exactly at the target meets it',
      {
        averageOrderValue: 1000,
        ordersPerPeriod: 1,
        grossMargin: 1,
        lifetimePeriods: 30,
        discountRate: 0,
        acquisitionCost: 3000,
        targetRatio: 10,
      },
      {
        periodMargin: 1000,
        expectedLifetimePeriods: 30,
        clvSimple: 30000,
        clvDiscounted: 30000,
        clvToCac: 10,
        allowableCac: 3000,
        paybackPeriods: 3,
        netValue: 27000,
        meetsTarget: true,
      },
    ],
    [
      'free acquisition: no ratio, nothing to pay back, the target is met by any margin',
      { ...base, lifetimePeriods: 2, discountRate: 0, acquisitionCost: 0 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 2,
        clvSimple: 200,
        clvDiscounted: 200,
        clvToCac: null,
        allowableCac: 66.666667,
        paybackPeriods: 0,
        netValue: 200,
        meetsTarget: true,
      },
    ],
    [
      'zero margin with a cost: never pays back',
      { ...base, grossMargin: 0, lifetimePeriods: 5, acquisitionCost: 10 },
      {
        periodMargin: 0,
        expectedLifetimePeriods: 5,
        clvSimple: 0,
        clvDiscounted: 0,
        clvToCac: 0,
        allowableCac: 0,
        paybackPeriods: null,
        netValue: -10,
        meetsTarget: false,
      },
    ],
    [
      'zero margin and zero cost: nothing earned, so the target is not met',
      { ...base, grossMargin: 0, retentionRate: 0.5, acquisitionCost: 0 },
      {
        periodMargin: 0,
        expectedLifetimePeriods: 2,
        clvSimple: 0,
        clvDiscounted: 0,
        clvToCac: null,
        allowableCac: 0,
        paybackPeriods: 0,
        netValue: 0,
        meetsTarget: false,
      },
    ],
    [
      'fractional lifetime: 100·(1 − 1.1^−1.5)/0.1',
      { ...base, lifetimePeriods: 1.5 },
      {
        periodMargin: 100,
        expectedLifetimePeriods: 1.5,
        clvSimple: 150,
        clvDiscounted: 133.215828,
        clvToCac: 2.664317,
        allowableCac: 44.405276,
        paybackPeriods: 0.5,
        netValue: 83.215828,
        meetsTarget: false,
      },
    ],
  ])('%s', (_name, input, expected) => {
    const got = calculateClv(input);
    for (const [key, want] of Object.entries(expected)) {
      const value = got[key as keyof ClvCalculatorResult];
      if (typeof want === 'number') expect(value, key).toBeCloseTo(want, 5);
      else expect(value, key).toBe(want);
    }
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  });

  it('a tiny discount rate does not cancel to 0/0: it tends to m·L', () => {
    expect(
      calculateClv({ ...base, lifetimePeriods: 3, discountRate: 1e-15 }).clvDiscounted,
    ).toBeCloseTo(300, 9);
  });

  it('the default target ratio is 3', () => {
    // 300 / 100 = 3: met at the default, not at 3.5
    const input = { ...base, lifetimePeriods: 3, discountRate: 0, acquisitionCost: 100 };
    expect(calculateClv(input).meetsTarget).toBe(true);
    expect(calculateClv({ ...input, targetRatio: 3.5 }).meetsTarget).toBe(false);
  });

  it('the retention formula is the discounted sum m·r^(k−1)/(1+d)^k over all periods', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (r, d) => {
          let sum = 0;
          for (let k = 1; k <= 2000; k++) sum += (100 * r ** (k - 1)) / (1 + d) ** k;
          expect(
            calculateClv({ ...base, retentionRate: r, discountRate: d }).clvDiscounted,
          ).toBeCloseTo(sum, 6);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('answers are always finite at the schema bounds (JSON cannot carry Infinity)', () => {
    const extreme = {
      averageOrderValue: 1e12,
      ordersPerPeriod: 1e6,
      grossMargin: 1,
      discountRate: 0,
      acquisitionCost: 1e-300,
    };
    for (const result of [
      calculateClv({ ...extreme, retentionRate: 1 - 1e-16 }),
      calculateClv({ ...extreme, lifetimePeriods: 10_000 }),
    ]) {
      for (const value of Object.values(result))
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    }
  });
});

describe('checkClvInput: every 400 names its field', () => {
  const valid = { ...base, lifetimePeriods: 3 };
  const { lifetimePeriods: _, ...withoutLifetime } = valid;

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'both lifetime and retention',
      { ...valid, retentionRate: 0.5 },
      ['lifetimePeriods', 'retentionRate'],
    ],
    ['neither lifetime nor retention', withoutLifetime, ['lifetimePeriods', 'retentionRate']],
    ['margin above 1', { ...valid, grossMargin: 1.2 }, ['grossMargin']],
    ['negative margin', { ...valid, grossMargin: -0.1 }, ['grossMargin']],
    ['retention of 1', { ...withoutLifetime, retentionRate: 1 }, ['retentionRate']],
    ['retention above 1', { ...withoutLifetime, retentionRate: 1.5 }, ['retentionRate']],
    ['negative retention', { ...withoutLifetime, retentionRate: -0.1 }, ['retentionRate']],
    ['negative order value', { ...valid, averageOrderValue: -1 }, ['averageOrderValue']],
    ['negative acquisition cost', { ...valid, acquisitionCost: -5 }, ['acquisitionCost']],
    ['NaN orders', { ...valid, ordersPerPeriod: Number.NaN }, ['ordersPerPeriod']],
    [
      'infinite order value',
      { ...valid, averageOrderValue: Number.POSITIVE_INFINITY },
      ['averageOrderValue'],
    ],
    [
      'infinite lifetime',
      { ...valid, lifetimePeriods: Number.POSITIVE_INFINITY },
      ['lifetimePeriods'],
    ],
    ['zero lifetime', { ...valid, lifetimePeriods: 0 }, ['lifetimePeriods']],
    ['order value above 1e12', { ...valid, averageOrderValue: 2e12 }, ['averageOrderValue']],
    ['orders above a million', { ...valid, ordersPerPeriod: 2e6 }, ['ordersPerPeriod']],
    ['discount rate above 100%', { ...valid, discountRate: 1.5 }, ['discountRate']],
    ['missing discount rate', { ...valid, discountRate: undefined }, ['discountRate']],
    ['zero target ratio', { ...valid, targetRatio: 0 }, ['targetRatio']],
    ['a string where a number belongs', { ...valid, acquisitionCost: '50' }, ['acquisitionCost']],
    ['an unknown field', { ...valid, clv: 1 }, ['clv']],
    [
      'two bad fields at once',
      { ...valid, grossMargin: 2, acquisitionCost: -1 },
      ['acquisitionCost', 'grossMargin'],
    ],
  ])('rejects %s', (_name, raw, paths) => {
    const result = checkClvInput(raw);
    expect(result.success).toBe(false);
    if (!result.success)
      expect([...new Set(result.errors.map((e) => e.path))].sort()).toEqual(paths);
  });

  it('accepts a valid request and fills in the target ratio', () => {
    const result = checkClvInput(valid);
    expect(result).toEqual({ success: true, output: { ...valid, targetRatio: 3 } });
  });

  it('accepts the retention form with r = 0', () => {
    expect(checkClvInput({ ...withoutLifetime, retentionRate: 0 }).success).toBe(true);
  });
});

describe('answers without binary noise', () => {
  it('120 × 1.5 × 0.35 is a margin of 63, not 62.99999999999999', () => {
    const r = calculateClv({
      averageOrderValue: 120,
      ordersPerPeriod: 1.5,
      grossMargin: 0.35,
      lifetimePeriods: 18,
      discountRate: 0,
      acquisitionCost: 250,
    });
    expect(r.periodMargin).toBe(63);
    expect(r.clvSimple).toBe(1134);
  });
});
