import { describe, expect, it } from 'vitest';
import type { Stage } from '../../schema/lifecycle.ts';
import { segmentConversion } from './conversion.ts';
import { snapshot } from './fixtures.ts';

const day = (d: string) => `${d}T00:00:00.000Z`;
const client = (
  id: string,
  channel: unknown,
  stage: Stage | null,
  orders: number,
  revenue: number,
  first: string | null,
  developed: string | null = null,
) =>
  snapshot(id, {
    stage,
    attributes: channel === undefined ? {} : { channel },
    aggregates: {
      orders,
      revenue,
      firstPurchaseAt: first && day(first),
      firstDevelopedAt: developed && day(developed),
    },
  });

const CLIENTS = [
  // ads: 3 acquired of 4; developed after 30 and 60 days; one bought once and fell asleep.
  client('a1', 'ads', 'developed', 3, 300, '2024-01-01', '2024-01-31'),
  client('a2', 'ads', 'sleeping', 4, 500, '2024-02-01', '2024-04-01'),
  client('a3', 'ads', 'sleeping', 1, 100, '2024-03-01'),
  client('a4', 'ads', 'prospect', 0, 0, null),
  // referral: both developed, after 10 and 20 days.
  client('r1', 'referral', 'developed', 5, 1000, '2024-01-01', '2024-01-11'),
  client('r2', 'referral', 'developed', 3, 600, '2024-01-01', '2024-01-21'),
  // no channel: missing or null, one bought once and is lost.
  client('n1', undefined, 'lost', 1, 50, '2023-01-01'),
  client('n2', null, 'potential', 0, 0, null),
  // cold: nobody bought.
  client('c1', 'cold', 'prospect', 0, 0, null),
];

describe('segment conversion', () => {
  const r = segmentConversion(CLIENTS, { by: 'channel', sort: 'acquired' });
  const seg = Object.fromEntries(r.segments.map((s) => [s.label, s]));

  it('orders values with the same label (the number 1, the text "1") the same whatever the clients\' order', () => {
    const both = [client('t', '1', 'prospect', 0, 0, null), client('n', 1, 'prospect', 0, 0, null)];
    const values = (list: typeof both) =>
      segmentConversion(list, { by: 'channel', sort: 'value' }).segments.map((g) => g.value);
    expect(values(both)).toEqual([1, '1']);
    expect(values([...both].reverse())).toEqual([1, '1']);
  });

  it('per value: acquired, developed share, one-and-gone share, median days to developed, revenue per client', () => {
    expect(seg.ads).toEqual({
      value: 'ads',
      label: 'ads',
      clients: 4,
      acquired: 3,
      developed: 2,
      developedShare: 0.666667,
      vanished: 1,
      vanishedShare: 0.333333,
      medianDaysToDeveloped: 45,
      revenue: 900,
      averageRevenue: 300,
    });
    expect(seg.referral).toMatchObject({
      acquired: 2,
      developedShare: 1,
      vanishedShare: 0,
      medianDaysToDeveloped: 15,
      averageRevenue: 800,
    });
  });

  it('a missing attribute and a null one are the same "(none)" segment', () => {
    expect(seg['(none)']).toMatchObject({
      value: null,
      clients: 2,
      acquired: 1,
      developed: 0,
      developedShare: 0,
      vanished: 1,
      vanishedShare: 1,
      medianDaysToDeveloped: null,
      averageRevenue: 50,
    });
  });

  it('a segment nobody bought from has null shares', () => {
    expect(seg.cold).toMatchObject({
      clients: 1,
      acquired: 0,
      developedShare: null,
      vanishedShare: null,
      averageRevenue: null,
    });
  });

  it('one order and re-engagement (clc6) also counts as vanished; one order still active does not', () => {
    const r2 = segmentConversion(
      [
        client('x', 'web', 're_engagement', 1, 10, '2024-01-01'),
        client('y', 'web', 'conversion', 1, 10, '2024-12-01'),
        client('z', 'web', 'sleeping', 2, 20, '2024-01-01'),
      ],
      { by: 'channel', sort: 'acquired' },
    );
    expect(r2.segments[0]).toMatchObject({ acquired: 3, vanished: 1 });
  });

  it('values of different types stay apart: 1 is not "1"', () => {
    const r2 = segmentConversion(
      [
        snapshot('p', { attributes: { size: 1 } }),
        snapshot('q', { attributes: { size: '1' } }),
        snapshot('s', { attributes: { size: true } }),
      ],
      { by: 'size', sort: 'value' },
    );
    expect(r2.segments.map((s) => s.value)).toEqual([1, '1', true]);
  });

  it.each([
    ['acquired', ['ads', 'referral', '(none)', 'cold']],
    ['developedShare', ['referral', 'ads', '(none)', 'cold']],
    ['vanishedShare', ['(none)', 'ads', 'referral', 'cold']],
    ['averageRevenue', ['referral', 'ads', '(none)', 'cold']],
    ['value', ['ads', 'cold', 'referral', '(none)']],
  ] as const)('sorted by %s', (sort, labels) => {
    expect(
      segmentConversion(CLIENTS, { by: 'channel', sort }).segments.map((s) => s.label),
    ).toEqual(labels);
  });

  it('any attribute works, and the answer echoes it', () => {
    const r2 = segmentConversion([snapshot('p', { attributes: { 'lead source': 'fair' } })], {
      by: 'lead source',
      sort: 'acquired',
    });
    expect(r2).toMatchObject({
      by: 'lead source',
      clients: 1,
      segments: [{ label: 'fair', clients: 1 }],
    });
  });
});
