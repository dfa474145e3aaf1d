import * as fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../schema/events.ts';
import { LifecycleSettingsSchema } from '../../schema/lifecycle.ts';
import type { StageSpell } from '../../schema/lifecycle.ts';
import {
  continueClient,
  deriveClient,
  isAfter,
  NO_MARKS,
  NO_PERIODS,
  withChangedMarks,
  withChangedPeriods,
  withChangedSpells,
} from './derive.ts';
import type { FunnelMark } from './marks.ts';
import { chronological } from './order.ts';

const settings = (patch: Record<string, unknown> = {}) => v.parse(LifecycleSettingsSchema, patch);

const types = [
  'outreach',
  'response',
  'interest',
  'purchase',
  'contact',
  'referral',
  'review',
  'tag',
  'stage_override',
  'action_done',
] as const;

const eventArb = fc.record({
  type: fc.constantFrom(...types),
  day: fc.integer({ min: 0, max: 1500 }),
  hour: fc.constantFrom(0, 12),
  amount: fc.integer({ min: 1, max: 5000 }),
  discount: fc.constantFrom(undefined, 0.1, 0.25),
  tag: fc.constantFrom('vip', 'b2b'),
});

type Raw = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

const toEvents = (raw: Raw[]) =>
  raw.map((r, i) =>
    v.parse(EventSchema, {
      id: `ev-${String(i).padStart(3, '0')}`,
      clientId: 'c',
      type: r.type,
      at: new Date(Date.UTC(2022, 0, 1) + r.day * 86_400_000 + r.hour * 3_600_000).toISOString(),
      ...(r.type === 'purchase' && {
        amount: r.amount / 7,
        margin: r.amount / 31,
        product: r.tag,
        ...(r.discount !== undefined && { discount: r.discount }),
      }),
      ...(r.type === 'contact' && { sentiment: 'positive' }),
      ...(r.type === 'tag' && { tag: r.tag }),
      ...(r.type === 'stage_override' && { stage: 'potential' }),
      ...(r.type === 'action_done' && { actionKind: 'wake_sleeping' }),
    }),
  );

describe('continuing a stored fold', () => {
  it('gives what a replay of the whole history gives, writing only the spells, months and marks that changed', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom('portfolio', 'clc6'),
        (raw, cuts, model) => {
          const s = settings({ model });
          const events = chronological(toEvents(raw));
          const whole = deriveClient(events, s);
          // Deliver the history in chronological slices, each continuing the previous fold.
          const at = [...new Set(cuts.map((c) => c % events.length))].sort((a, b) => a - b);
          const slices = [0, ...at, events.length]
            .map((from, i, all) => events.slice(from, all[i + 1]))
            .filter((x) => x.length > 0);
          let spells = new Map<number, StageSpell>();
          let periods = new Map<string, unknown>();
          let marks = new Map<string, FunnelMark>();
          let current = deriveClient(slices[0]!, s);
          const apply = () => {
            // What the write path does: replace spells from spellBase, months from periodsFrom.
            spells = new Map([...spells].filter(([seq]) => seq < current.spellBase));
            current.stages.forEach((sp, i) => spells.set(current.spellBase + i, sp));
            periods = new Map([...periods].filter(([p]) => p < current.periodsFrom));
            for (const p of current.periods) periods.set(p.period, p);
            // Marks from marksFrom on.
            marks = new Map([...marks].filter(([, m]) => m.atMs < current.marksFrom));
            for (const m of current.marks) marks.set(`${m.kind}:${m.stage}`, m);
          };
          apply();
          for (const slice of slices.slice(1)) {
            expect(slice.every((e) => isAfter(current.fold, e))).toBe(true);
            // Only the marks and spells that differ from the stored ones are written.
            const base = current.fold.stages.base;
            const storedSpells = [...spells]
              .filter(([seq]) => seq >= base)
              .sort(([a], [b]) => a - b)
              .map(([, spell]) => spell);
            current = withChangedPeriods(
              withChangedSpells(
                withChangedMarks(continueClient(current.fold, slice, s), [...marks.values()]),
                storedSpells,
              ),
              current.fold.aggregates.periods,
            );
            apply();
          }
          expect(current.aggregates).toEqual(whole.aggregates);
          const byKey = (list: unknown[]) =>
            list.map((m) => JSON.stringify(m)).sort((a, b) => (a < b ? -1 : 1));
          expect(byKey([...marks.values()])).toEqual(byKey(whole.marks));
          expect([...spells.entries()].sort(([a], [b]) => a - b).map(([, x]) => x)).toEqual(
            whole.stages,
          );
          expect([...periods.values()]).toEqual(whole.periods);
          expect(current.fold).toEqual(whole.fold);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes no month when the fold's latest month is unchanged, and the months from it when it changed", () => {
    const events = toEvents([
      { type: 'purchase', day: 0, hour: 0, amount: 700, discount: undefined, tag: 'vip' },
      { type: 'outreach', day: 5, hour: 0, amount: 1, discount: undefined, tag: 'vip' },
      { type: 'purchase', day: 6, hour: 0, amount: 300, discount: undefined, tag: 'vip' },
    ]);
    const first = deriveClient(events.slice(0, 1), settings());
    const stored = first.fold.aggregates.periods;
    expect(stored).toHaveLength(1);
    // An outreach moves no month: nothing to write, nothing for the cohort cells to move.
    const contact = withChangedPeriods(
      continueClient(first.fold, events.slice(1, 2), settings()),
      stored,
    );
    expect(contact.periods).toEqual([]);
    expect(contact.periodsFrom).toBe(NO_PERIODS);
    // A purchase in the same month rewrites that month.
    const purchase = withChangedPeriods(
      continueClient(first.fold, events.slice(1), settings()),
      stored,
    );
    expect(purchase.periodsFrom).toBe(stored[0]!.period);
    expect(purchase.periods).toEqual(deriveClient(events, settings()).periods.slice(-1));
  });

  it('writes no mark when none changed, and every mark from the earliest one that did', () => {
    const events = toEvents([
      { type: 'outreach', day: 0, hour: 0, amount: 1, discount: undefined, tag: 'vip' },
      { type: 'purchase', day: 10, hour: 0, amount: 700, discount: undefined, tag: 'vip' },
      { type: 'purchase', day: 20, hour: 0, amount: 700, discount: undefined, tag: 'vip' },
    ]);
    const all = deriveClient(events, settings());
    const same = withChangedMarks(all, all.marks);
    expect(same.marks).toEqual([]);
    expect(same.marksFrom).toBe(NO_MARKS);
    // One stored mark later than now derived: it and every later one are rewritten.
    const latest = Math.max(...all.marks.map((m) => m.atMs));
    const stale = all.marks.map((m) => (m.atMs === latest ? { ...m, atMs: m.atMs + 1 } : m));
    const changed = withChangedMarks(all, stale);
    expect(changed.marksFrom).toBe(latest);
    expect(changed.marks).toEqual(all.marks.filter((m) => m.atMs >= latest));
    // A stored mark no longer derived (no path reaches a dormant stage) goes, from its instant.
    const gone: FunnelMark = { kind: 'reach', stage: 'lost', atMs: latest + 5, days: 1 };
    expect(withChangedMarks(all, [...all.marks, gone]).marksFrom).toBe(latest + 5);
  });

  it('is not after an event at or before its last one', () => {
    const [a, b] = toEvents([
      { type: 'contact', day: 3, hour: 0, amount: 1, discount: undefined, tag: 'vip' },
      { type: 'contact', day: 3, hour: 0, amount: 1, discount: undefined, tag: 'vip' },
    ]);
    const { fold } = deriveClient([b!], settings());
    expect(isAfter(fold, b!)).toBe(false);
    expect(isAfter(fold, a!)).toBe(false);
    expect(isAfter(deriveClient([a!], settings()).fold, b!)).toBe(true);
  });
});
