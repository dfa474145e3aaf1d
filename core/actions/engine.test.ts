import { describe, expect, it } from 'vitest';
import { emptyAggregates } from '../lifecycle/aggregates.ts';
import { monthly, segmentSettings, snapshot } from '../segments/fixtures.ts';
import {
  actionId,
  deriveActions,
  pageAfter,
  parseActionId,
  positionOf,
  selectActions,
} from './engine.ts';
import { gatherFacts } from './facts.ts';
import { at, fact, settingsOf } from './fixtures.ts';

const T = '2025-03-03T10:00:00.000Z';
const ALL = { kind: 'all' } as const;

// Three clients with items of different priorities and due dates.
const facts = [
  fact('lost-1', { manager: 'anna', stage: 'lost', stageSince: at(T, -5) }),
  fact('key-1', {
    manager: 'boris',
    key: true,
    reviewedAt: at(T, -1),
    aggregates: { lastPositiveContactAt: at(T, -12) },
  }),
  fact('sleepy', { manager: 'anna', stage: 'sleeping', stageSince: at(T, -2) }),
];

describe('the list', () => {
  it('sorts by priority, then due date, then id', () => {
    const items = deriveActions(facts, settingsOf(), T);
    expect(items.map((i) => [i.priority, i.kind, i.clientId])).toEqual([
      [1, 'keep_cadence', 'key-1'],
      [2, 'wake_sleeping', 'sleepy'],
      [3, 'win_back_lost', 'lost-1'],
    ]);
  });

  it('ids are stable across asOf while the rule fires for the same due date, and parse back', () => {
    const ids = (asOf: string) => deriveActions(facts, settingsOf(), asOf).map((i) => i.id);
    expect(ids(T)).toEqual(ids(at(T, 3)));
    expect(ids(T)[0]).toBe(actionId('keep_cadence', at(T, -2), 'key-1'));
    expect(parseActionId('keep_cadence:2025-03-01:a:b:c')).toEqual({
      kind: 'keep_cadence',
      day: '2025-03-01',
      subject: 'a:b:c',
    });
    expect(parseActionId('no_such_kind:2025-03-01:x')).toBeNull();
    expect(parseActionId('keep_cadence:2025-3-1:x')).toBeNull();
  });

  it.each([
    ['kind', { kinds: ['wake_sleeping', 'win_back_lost'] as const }, ['sleepy', 'lost-1']],
    ['client', { clientId: 'key-1' }, ['key-1']],
    ['manager', { manager: 'anna' }, ['sleepy', 'lost-1']],
    ['due before', { dueBefore: at(T, -3) }, ['lost-1']],
    [
      'a restricted viewer',
      { viewer: { kind: 'managers', managers: new Set(['boris']) } as const },
      ['key-1'],
    ],
    [
      'a client-scoped viewer',
      { viewer: { kind: 'client', clientId: 'sleepy' } as const },
      ['sleepy'],
    ],
  ])('filters by %s', (_label, filter, expected) => {
    const items = selectActions(deriveActions(facts, settingsOf(), T), { viewer: ALL, ...filter });
    expect(items.map((i) => i.clientId)).toEqual(expected);
  });

  it('pages by the sort key of the last item, so a page boundary never repeats or skips an item', () => {
    const items = deriveActions(facts, settingsOf(), T);
    const first = pageAfter(items, null, 2);
    expect(first.page.map((i) => i.clientId)).toEqual(['key-1', 'sleepy']);
    expect(first.hasMore).toBe(true);
    const second = pageAfter(items, positionOf(first.page.at(-1)!), 2);
    expect(second).toEqual({ page: [items[2]], hasMore: false });
    // The item the cursor points at has gone (done meanwhile): the next page starts after its place.
    expect(pageAfter(items.slice(2), positionOf(items[1]!), 2).page).toEqual([items[2]]);
  });
});

describe('with segmentation (the adapter)', () => {
  // One client brings 70% of the revenue: key (golden) and a mono-client.
  const asOf = '2025-03-15T00:00:00.000Z';
  const big = snapshot('big', {
    months: monthly('2024-03', Array(12).fill(700)),
    attributes: { manager: 'irina' },
  });
  big.aggregates.lastPositiveContactAt = '2025-03-01T00:00:00.000Z';
  const small = snapshot('small', {
    months: monthly('2024-03', Array(12).fill(300)),
    attributes: { manager: 'oleg', email: 'a@b.c', budget: 10 },
  });
  const segments = segmentSettings();

  it('a key mono-client gets the cadence, the dossier and the mono-client review; a dossier date is read', () => {
    const run = (reviews: Map<string, string>, when = asOf) =>
      deriveActions(
        gatherFacts(
          [big, small],
          { segments, model: 'portfolio', actions: settingsOf() },
          reviews,
          when,
        ),
        settingsOf(),
        when,
      );
    const kinds = run(new Map())
      .filter((i) => i.clientId === 'big')
      .map((i) => i.kind);
    expect(kinds.sort()).toEqual(['keep_cadence', 'reduce_mono_client', 'review_dossier']);
    const reviewed = run(new Map([['big', '2025-03-01T00:00:00.000Z']]))
      .filter((i) => i.clientId === 'big')
      .map((i) => i.kind);
    expect(reviewed.sort()).toEqual(['keep_cadence', 'reduce_mono_client']);
    const item = run(new Map()).find((i) => i.kind === 'reduce_mono_client')!;
    expect(item.reason.params.share).toBeCloseTo(0.7);
    expect(item.manager).toBe('irina');
  });

  it('reads the lead qualification from attributes', () => {
    const f = gatherFacts(
      [big, small],
      { segments, model: 'portfolio', actions: settingsOf() },
      new Map(),
      asOf,
    );
    expect(f.find((x) => x.snapshot.id === 'small')!.lead).toMatchObject({
      lead: false,
      missing: ['wish'],
    });
    expect(f.find((x) => x.snapshot.id === 'small')!.manager).toBe('oleg');
  });

  it('old stored aggregates without the new fields do not break the rules', () => {
    const old = snapshot('old', { stage: 'sleeping', stageSince: '2025-03-01T00:00:00.000Z' });
    const {
      actionsDone: _a,
      lastTouchAt: _t,
      ...legacy
    } = { ...emptyAggregates(), lastContactAt: '2025-03-02T00:00:00.000Z' };
    old.aggregates = legacy as typeof old.aggregates;
    const items = deriveActions(
      gatherFacts([old], { segments, model: 'portfolio', actions: settingsOf() }, new Map(), asOf),
      settingsOf(),
      asOf,
    );
    expect(items.map((i) => i.kind)).toEqual(['wake_sleeping']);
  });
});
