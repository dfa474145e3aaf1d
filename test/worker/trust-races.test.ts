import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveClient } from '../../core/lifecycle/derive.ts';
import type { ClientEvent } from '../../schema/events.ts';
import { defaultSettings } from '../../schema/settings.ts';
import { callJson, createWorkspace } from './helpers.ts';

/**
 * Retries and races: random event batches for a few clients, overlapping and each sent several
 * times, all at once in a shuffled order. Afterwards every event is stored exactly once, the
 * answers account for each event exactly once, and the maintained stages, aggregates and monthly
 * buckets equal a from-scratch derivation over the stored event log.
 */

const CLIENTS = ['alpha', 'beta', 'gamma'] as const;
const DAY = 86_400_000;
const at = (day: number) => new Date(Date.UTC(2023, 0, 1) + day * DAY).toISOString();

const eventArb = fc
  .record({
    clientId: fc.constantFrom(...CLIENTS),
    type: fc.constantFrom(
      'outreach',
      'response',
      'request',
      'interest',
      'meeting',
      'offer',
      'purchase',
      'purchase',
      'purchase',
      'contact',
      'complaint',
      'payment',
      'referral',
      'refusal',
    ),
    day: fc.integer({ min: 0, max: 900 }),
    amount: fc.integer({ min: 1, max: 5000 }),
    flag: fc.boolean(),
  })
  .map(({ clientId, type, day, amount, flag }) => {
    const base = { clientId, type, at: at(day) };
    switch (type) {
      case 'purchase':
        return { ...base, amount, ...(flag && { margin: Math.round(amount / 4) }) };
      case 'contact':
        return { ...base, sentiment: flag ? 'positive' : 'negative' };
      case 'payment':
        return { ...base, daysLate: flag ? 0 : amount % 60 };
      case 'refusal':
        return { ...base, by: flag ? 'client' : 'us', reason: 'price' };
      default:
        return base;
    }
  });

const scenarioArb = fc.array(eventArb, { minLength: 2, maxLength: 24 }).chain((events) => {
  const withIds = events.map((e, i) => ({ id: `ev-${i}`, ...e }));
  return fc.record({
    events: fc.constant(withIds),
    // Each event goes into one to three of up to five batches (so batches overlap).
    homes: fc.array(
      fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
      { minLength: withIds.length, maxLength: withIds.length },
    ),
    repeats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 15, maxLength: 15 }),
  });
});

async function send(events: unknown[]): Promise<{ accepted: number; duplicates: number }> {
  // 503 means "nothing stored, retry": a well-behaved client retries.
  for (let attempt = 0; attempt < 8; attempt++) {
    const { status, body } = await callJson('/v1/events', { key: secretKey, body: { events } });
    if (status === 200) return body;
    expect(status, JSON.stringify(body)).toBe(503);
  }
  throw new Error('still 503 after 8 attempts');
}

let secretKey = '';

describe('concurrent, repeated, shuffled batches', () => {
  it('store each event once and keep stages and aggregates equal to a recomputation', async () => {
    const settings = defaultSettings().lifecycle;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ events, homes, repeats, order }) => {
        const ws = await createWorkspace();
        secretKey = ws.secretKey;
        const batches = Array.from({ length: 5 }, (_, b) =>
          events.filter((_, i) => homes[i]!.includes(b)),
        ).filter((batch) => batch.length > 0);
        const sends = batches.flatMap((batch, b) =>
          Array.from({ length: repeats[b]! }, () => batch),
        );
        const shuffled = sends
          .map((batch, i) => ({ batch, key: order[i % order.length]! + i / 1000 }))
          .sort((x, y) => x.key - y.key)
          .map((x) => x.batch);
        const answers = await Promise.all(shuffled.map(send));

        expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(events.length);
        expect(answers.reduce((n, a) => n + a.accepted + a.duplicates, 0)).toBe(
          shuffled.reduce((n, b) => n + b.length, 0),
        );

        const stored = (
          await env.DB.prepare('SELECT id, client_id, body FROM events WHERE workspace_id = ?1')
            .bind(ws.id)
            .all<{ id: string; client_id: string; body: string }>()
        ).results;
        expect(stored.map((r) => r.id).sort()).toEqual(events.map((e) => e.id).sort());

        for (const clientId of new Set(events.map((e) => e.clientId))) {
          const log = stored
            .filter((r) => r.client_id === clientId)
            .map((r) => JSON.parse(r.body) as ClientEvent);
          const expected = deriveClient(log, settings);
          const spells = (
            await env.DB.prepare(
              'SELECT stage, entered_at, left_at, event_id FROM stage_spells WHERE workspace_id = ?1 AND client_id = ?2 ORDER BY seq',
            )
              .bind(ws.id, clientId)
              .all<{
                stage: string;
                entered_at: string;
                left_at: string | null;
                event_id: string | null;
              }>()
          ).results.map((s) => ({
            stage: s.stage,
            enteredAt: s.entered_at,
            leftAt: s.left_at,
            eventId: s.event_id,
          }));
          expect(spells, clientId).toEqual(expected.stages);
          const aggregates = await env.DB.prepare(
            'SELECT data FROM client_aggregates WHERE workspace_id = ?1 AND client_id = ?2',
          )
            .bind(ws.id, clientId)
            .first<{ data: string }>();
          expect(JSON.parse(aggregates!.data), clientId).toEqual(expected.aggregates);
          const periods = (
            await env.DB.prepare(
              'SELECT period, revenue, margin, orders FROM client_periods WHERE workspace_id = ?1 AND client_id = ?2 ORDER BY period',
            )
              .bind(ws.id, clientId)
              .all()
          ).results;
          expect(periods, clientId).toEqual(expected.periods);
          const version = await env.DB.prepare(
            'SELECT version FROM clients WHERE workspace_id = ?1 AND id = ?2',
          )
            .bind(ws.id, clientId)
            .first<{ version: number }>();
          expect(version?.version).toBeGreaterThan(0);
        }
      }),
      { numRuns: 12, seed: 20_261_123, endOnFailure: true },
    );
  }, 60_000);
});
