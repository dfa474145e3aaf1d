import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ClientTypeEntrySchema } from '../../schema/clients.ts';
import { SettingsSchema } from '../../schema/settings.ts';
import {
  AbcXyzQuerySchema,
  AbcXyzResultSchema,
  ConversionQuerySchema,
  ConversionResultSchema,
  PortfolioQuerySchema,
  PortfolioResultSchema,
  RFM_PRESET,
  RfmQuerySchema,
  RfmResultSchema,
  SegmentSettingsSchema,
  TypeCountsResultSchema,
  TypesQuerySchema,
} from '../../schema/segments.ts';
import { abcXyz } from './abc-xyz.ts';
import { classifyAll, countTypes } from './client-types.ts';
import { segmentConversion } from './conversion.ts';
import { monthly, snapshot } from './fixtures.ts';
import { portfolio } from './portfolio.ts';
import { rfm } from './rfm.ts';

/** Each issue as `path: message`, the way the API's problem body names fields. */
const issues = (schema: v.GenericSchema, input: unknown) => {
  const r = v.safeParse(schema, input);
  return r.success
    ? []
    : r.issues.map((i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')}: ${i.message}`);
};

describe('ABC-XYZ query', () => {
  it.each([
    {
      name: 'unknown period',
      query: { period: 'week' },
      errors: ['period: must be month, quarter or year'],
    },
    {
      name: 'unknown measure',
      query: { measure: 'profit' },
      errors: ['measure: must be revenue or margin'],
    },
    {
      name: 'from after to',
      query: { from: '2024-07-01', to: '2024-01-01' },
      errors: ['to: must be after from'],
    },
    {
      name: 'from equal to to',
      query: { from: '2024-07-01', to: '2024-07-01' },
      errors: ['to: must be after from'],
    },
    {
      name: 'mid-month from',
      query: { from: '2024-01-15' },
      errors: [
        'from: must be the first day of a month (UTC), e.g. 2024-01-01: buckets are monthly',
      ],
    },
    {
      name: 'mid-month to',
      query: { to: '2024-02-01T12:00:00Z' },
      errors: ['to: must be the first day of a month (UTC), e.g. 2024-01-01: buckets are monthly'],
    },
    {
      name: 'not a date',
      query: { from: 'last year' },
      errors: ['from: must be an ISO 8601 date or date-time'],
    },
    {
      name: 'a window of part quarters',
      query: { from: '2024-01-01', to: '2024-06-01', period: 'quarter' },
      errors: ['to: must leave a whole number of quarters after from: the window holds 5 months'],
    },
    {
      name: 'a window of part years',
      query: { from: '2023-01-01', to: '2024-07-01', period: 'year' },
      errors: ['to: must leave a whole number of years after from: the window holds 18 months'],
    },
    {
      name: 'a window over ten years',
      query: { from: '2000-01-01', to: '2011-01-01' },
      errors: ['to: must be at most 120 months after from'],
    },
    {
      name: 'an unknown parameter',
      query: { measure: 'revenue', size: '5' },
      errors: ['size: is not a known parameter'],
    },
    {
      name: 'a page size out of range',
      query: { limit: '0' },
      errors: ['limit: must be a whole number from 1 to 500'],
    },
    {
      name: 'several faults at once, each named',
      query: { period: 'week', measure: 'profit', from: '2024-07-01', to: '2024-01-01' },
      errors: [
        'period: must be month, quarter or year',
        'measure: must be revenue or margin',
        'to: must be after from',
      ],
    },
  ])('$name', ({ query, errors }) => {
    expect(issues(AbcXyzQuerySchema, query)).toEqual(errors);
  });

  it.each([
    { query: {}, out: { period: 'month', measure: 'revenue', limit: 100 } },
    {
      query: { from: '2024-01', to: '2024-07', period: 'quarter', measure: 'margin' },
      out: {
        from: '2024-01-01T00:00:00.000Z',
        to: '2024-07-01T00:00:00.000Z',
        period: 'quarter',
        measure: 'margin',
        limit: 100,
      },
    },
    {
      query: { from: '2023-01-01T00:00:00Z', to: '2025-01-01', period: 'year' },
      out: {
        from: '2023-01-01T00:00:00.000Z',
        to: '2025-01-01T00:00:00.000Z',
        period: 'year',
        measure: 'revenue',
        limit: 100,
      },
    },
  ])('accepts $query', ({ query, out }) => {
    expect(v.parse(AbcXyzQuerySchema, query)).toEqual(out);
  });
});

describe('other queries', () => {
  it.each([
    {
      schema: RfmQuerySchema,
      query: { asOf: 'yesterday' },
      errors: ['asOf: must be an ISO 8601 date or date-time'],
    },
    {
      schema: TypesQuerySchema,
      query: { type: 'fan' },
      errors: ['type: is not a known parameter'],
    },
    {
      schema: PortfolioQuerySchema,
      query: { months: '0' },
      errors: ['months: must be a whole number from 1 to 120'],
    },
    {
      schema: PortfolioQuerySchema,
      query: { months: '1.5' },
      errors: ['months: must be a whole number from 1 to 120'],
    },
    { schema: ConversionQuerySchema, query: {}, errors: ['by: is required'] },
    {
      schema: ConversionQuerySchema,
      query: { by: '' },
      errors: ['by: must be 1 to 64 characters'],
    },
    {
      schema: ConversionQuerySchema,
      query: { by: 'x'.repeat(65) },
      errors: ['by: must be 1 to 64 characters'],
    },
    {
      schema: ConversionQuerySchema,
      query: { by: 'channel', sort: 'name' },
      errors: [
        'sort: must be one of acquired, developedShare, vanishedShare, averageRevenue, value',
      ],
    },
  ])('$query', ({ schema, query, errors }) => {
    expect(issues(schema, query)).toEqual(errors);
  });

  it('transform the strings', () => {
    expect(v.parse(RfmQuerySchema, { asOf: '2025-01-31' })).toEqual({
      asOf: '2025-01-31T00:00:00.000Z',
      limit: 100,
    });
    expect(v.parse(PortfolioQuerySchema, { months: '24' })).toEqual({ months: 24, limit: 100 });
    expect(v.parse(ConversionQuerySchema, { by: 'industry' })).toEqual({
      by: 'industry',
      sort: 'acquired',
    });
  });
});

describe('segment settings', () => {
  it('{} parses to the full defaults, and so does the workspace settings', () => {
    const s = v.parse(SegmentSettingsSchema, {});
    expect(s).toMatchObject({
      windowMonths: 12,
      abc: { a: 0.8, b: 0.95 },
      xyz: { x: 0.1, y: 0.25 },
      rfm: { rules: RFM_PRESET },
      keyClients: { revenueShare: 0.1, marginShare: 0.1, topShare: 0.01 },
      portfolio: { monoClientShare: 0.5 },
    });
    expect(s.types.bad.tags).toEqual(['bad', 'rude', 'abusive', 'discredits']);
    expect(v.parse(SettingsSchema, {}).segments).toEqual(s);
  });

  it('a partial override keeps the other defaults', () => {
    const s = v.parse(SegmentSettingsSchema, {
      abc: { a: 0.7 },
      types: { bad: { minComplaints: 5 } },
    });
    expect(s.abc).toEqual({ a: 0.7, b: 0.95 });
    expect(s.types.bad).toMatchObject({ minComplaints: 5, complaintsPerOrder: 0.5 });
  });

  it.each([
    {
      name: 'a must stay below b',
      patch: { abc: { a: 0.95, b: 0.9 } },
      errors: ['abc.b: must be greater than a'],
    },
    {
      name: 'x must stay below y',
      patch: { xyz: { x: 0.3 } },
      errors: ['xyz.y: must be greater than x'],
    },
    {
      name: 'shares are bounded',
      patch: { keyClients: { revenueShare: 2 } },
      errors: ['keyClients.revenueShare: must be between 0.001 and 1'],
    },
    {
      name: 'unknown keys are refused',
      patch: { abc: { c: 0.99 } },
      errors: ['abc.c: Invalid key: Expected never but received "c"'],
    },
    {
      name: 'RFM rules must cover every cell',
      patch: { rfm: { rules: [{ segment: 'top', r: [3, 5], fm: [1, 5] }] } },
      errors: [
        'rfm.rules: must give every R (1–5) and FM (1–5 in steps of 0.5) a segment; uncovered: R1 FM1, R1 FM1.5, R1 FM2, R1 FM2.5, R1 FM3, R1 FM3.5 and 12 more',
      ],
    },
    {
      name: 'an RFM range runs min to max',
      patch: { rfm: { rules: [{ segment: 'all', r: [5, 1], fm: [1, 5] }] } },
      errors: ['rfm.rules.0.r: must be [min, max] with min at most max'],
    },
    {
      name: 'prospects is reserved',
      patch: { rfm: { rules: [{ segment: 'prospects', r: [1, 5], fm: [1, 5] }] } },
      errors: ['rfm.rules.0.segment: is reserved for clients without a purchase'],
    },
  ])('$name', ({ patch, errors }) => {
    expect(issues(SegmentSettingsSchema, patch)).toEqual(errors);
  });
});

describe('answers match their schemas (the OpenAPI document is generated from them)', () => {
  const settings = v.parse(SegmentSettingsSchema, {});
  const asOf = '2025-01-15T00:00:00.000Z';
  const clients = [
    snapshot('a', {
      stage: 'developed',
      attributes: { channel: 'ads' },
      months: monthly('2024-01', Array(12).fill({ revenue: 100, margin: 30 })),
      aggregates: { firstDevelopedAt: '2024-03-01T00:00:00.000Z' },
    }),
    snapshot('b', {
      stage: 'sleeping',
      months: { '2024-02': { revenue: 50, margin: -5 } },
      aggregates: { payments: 3, latePayments: 2, maxDaysLate: 40 },
    }),
    snapshot('c', { stage: 'prospect', manualTypes: ['status'] }),
  ];
  const strict = <T extends v.GenericSchema>(schema: T, output: unknown) => {
    const r = v.safeParse(schema, output);
    expect(
      r.success
        ? []
        : r.issues.map(
            (i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')}: ${i.message}`,
          ),
    ).toEqual([]);
  };

  it.each([
    [
      'ABC-XYZ',
      AbcXyzResultSchema,
      () =>
        abcXyz(
          clients,
          {
            from: '2024-01-01T00:00:00.000Z',
            to: '2025-01-01T00:00:00.000Z',
            period: 'month',
            measure: 'revenue',
          },
          settings,
        ),
    ],
    ['RFM', RfmResultSchema, () => rfm(clients, asOf, settings)],
    [
      'types',
      TypeCountsResultSchema,
      () => countTypes(classifyAll(clients, settings, asOf).values(), asOf),
    ],
    [
      'type entries',
      v.array(ClientTypeEntrySchema),
      () => [...classifyAll(clients, settings, asOf).values()].flat(),
    ],
    [
      'portfolio',
      PortfolioResultSchema,
      // The route names the listed clients and adds the page and provenance fields.
      () => {
        const figures = portfolio(clients, { asOf, months: 12, model: 'portfolio' }, settings);
        return {
          ...figures,
          keyClients: figures.keyClients.map((k) => ({ ...k, name: null })),
          tiers: {
            counts: figures.tiers.counts,
            clients: figures.tiers.clients.map((c) => ({ ...c, name: null })),
            nextCursor: null,
          },
          computedAt: asOf,
          currency: 'USD',
        };
      },
    ],
    [
      'conversion',
      ConversionResultSchema,
      () => segmentConversion(clients, { by: 'channel', sort: 'acquired' }),
    ],
  ] as const)('%s', (_name, schema, run) => {
    strict(schema, run());
  });
});
