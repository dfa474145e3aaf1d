import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../schema/settings.ts';
import {
  ClvFitRequestSchema,
  MIN_CUSTOMERS,
  MIN_REPEAT_BUYERS,
  ValueSettingsSchema,
  ValueTransactionSchema,
} from '../../schema/value.ts';

const paths = (result: ReturnType<typeof v.safeParse>) =>
  result.success ? [] : [...new Set(result.issues.map((i) => v.getDotPath(i)))].sort();

describe('ValueSettingsSchema', () => {
  it('parses {} to the defaults, also inside the workspace settings', () => {
    const defaults = {
      horizonDays: 365,
      annualDiscountRate: 0.1,
      timeUnit: 'week',
      minCustomers: MIN_CUSTOMERS,
      minRepeatBuyers: MIN_REPEAT_BUYERS,
    };
    expect(v.parse(ValueSettingsSchema, {})).toEqual(defaults);
    expect(v.parse(SettingsSchema, {}).value).toEqual(defaults);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a fractional horizon', { horizonDays: 30.5 }, ['horizonDays']],
    ['a horizon of ten years and a day', { horizonDays: 3651 }, ['horizonDays']],
    ['a negative discount rate', { annualDiscountRate: -0.1 }, ['annualDiscountRate']],
    ['fortnights as the time unit', { timeUnit: 'fortnight' }, ['timeUnit']],
    [
      'a minimum below the floor',
      { minCustomers: 10, minRepeatBuyers: 5 },
      ['minCustomers', 'minRepeatBuyers'],
    ],
    ['an unknown setting', { horizon: 365 }, ['horizon']],
  ])('rejects %s, naming the field', (_name, input, want) => {
    expect(paths(v.safeParse(ValueSettingsSchema, input))).toEqual(want);
  });
});

describe('ClvFitRequestSchema', () => {
  it('accepts an empty request (the handler fills in now and the workspace’s unit)', () => {
    expect(v.parse(ClvFitRequestSchema, {})).toEqual({});
  });

  it('normalises instants to UTC', () => {
    expect(
      v.parse(ClvFitRequestSchema, {
        asOf: '1998-07-01',
        holdoutFrom: '1997-10-01T02:00:00+02:00',
        timeUnit: 'day',
      }),
    ).toEqual({
      asOf: '1998-07-01T00:00:00.000Z',
      holdoutFrom: '1997-10-01T00:00:00.000Z',
      timeUnit: 'day',
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a holdout that starts at asOf',
      { asOf: '1998-07-01', holdoutFrom: '1998-07-01' },
      ['holdoutFrom'],
    ],
    ['a holdout after asOf', { asOf: '1998-07-01', holdoutFrom: '1999-01-01' }, ['holdoutFrom']],
    ['a date that is not one', { asOf: '1998-02-30x' }, ['asOf']],
    ['an unknown unit', { timeUnit: 'fortnight' }, ['timeUnit']],
    ['an unknown field', { horizon: 3 }, ['horizon']],
  ])('rejects %s, naming the field', (_name, input, want) => {
    expect(paths(v.safeParse(ClvFitRequestSchema, input))).toEqual(want);
  });
});

describe('ValueTransactionSchema', () => {
  it('takes an id, an instant and a non-negative amount', () => {
    expect(
      v.parse(ValueTransactionSchema, { clientId: 'c1', at: '2024-01-05', amount: 12.5 }),
    ).toEqual({ clientId: 'c1', at: '2024-01-05T00:00:00.000Z', amount: 12.5 });
    expect(
      paths(v.safeParse(ValueTransactionSchema, { clientId: '', at: 'yesterday', amount: -1 })),
    ).toEqual(['amount', 'at', 'clientId']);
  });
});
