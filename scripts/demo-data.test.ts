import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { deriveClient } from '../core/lifecycle/derive.ts';
import { stagesAsOf } from '../core/lifecycle/stages.ts';
import { type ClientEvent, EventSchema } from '../schema/events.ts';
import { LifecycleSettingsSchema, PORTFOLIO_STAGES, MILESTONE_KINDS } from '../schema/lifecycle.ts';
import { ClientUpsertSchema } from '../schema/clients.ts';
import { generateDemo } from './demo-data.ts';

describe('demo portfolio', () => {
  const end = '2026-11-01T00:00:00.000Z';
  const demo = generateDemo({ end });

  it('is deterministic for a seed and differs for another', () => {
    expect(generateDemo({ end })).toEqual(demo);
    expect(generateDemo({ end, seed: 7 }).events.length).not.toBe(demo.events.length);
  });

  it('has at least 2,000 clients and 30,000 valid events over 3 years', () => {
    expect(demo.clients.length).toBeGreaterThanOrEqual(2000);
    expect(demo.events.length).toBeGreaterThanOrEqual(30000);
    for (const { id: _id, ...c } of demo.clients)
      expect(v.safeParse(ClientUpsertSchema, c).success).toBe(true);
    const parsed = demo.events.map((e) => v.parse(EventSchema, e));
    const times = parsed.map((e) => e.at).sort();
    expect(times[0]! >= '2023-11-01').toBe(true);
    expect(times.at(-1)! < end).toBe(true);
    expect(new Set(parsed.map((e) => e.id)).size).toBe(parsed.length);
  });

  it('puts clients in every stage and reaches every milestone', () => {
    const settings = v.parse(LifecycleSettingsSchema, {});
    const byClient = Map.groupBy(
      demo.events.map((e) => v.parse(EventSchema, e)),
      (e: ClientEvent) => e.clientId,
    );
    const stages = new Map<string, number>();
    const milestones = new Set<string>();
    for (const events of byClient.values()) {
      const d = deriveClient(events, settings);
      const stage = stagesAsOf(d.stages, end).stage!;
      stages.set(stage, (stages.get(stage) ?? 0) + 1);
      for (const m of d.milestones) milestones.add(m.kind);
    }
    for (const s of PORTFOLIO_STAGES) expect(stages.get(s), s).toBeGreaterThan(20);
    expect([...milestones].sort()).toEqual([...MILESTONE_KINDS].sort());
  });
});
