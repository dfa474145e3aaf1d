import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { daysSleepRule } from '../../core/lifecycle/stages.ts';
import { pAliveSleepRule } from '../../core/value/sleep-rule.ts';
import { LifecycleSettingsSchema } from '../../schema/lifecycle.ts';
import { cdnowCsv } from './cdnow-csv.ts';
import { callJson, createWorkspace } from './helpers.ts';

// In a file of its own: the fit re-derives every stored history in the background, which must not
// overlap other tests' "nothing stored" checks (storage is isolated per test file).
describe('sleeping by probability', () => {
  it('once a model is fitted, a buyer sleeps where P(alive) crosses the threshold instead of after fixed days', async () => {
    const ws = await createWorkspace({
      settings: { lifecycle: { sleepingRule: 'pAlive', sleepingPAliveBelow: 0.5 } },
    });
    await callJson('/v1/import/transactions', {
      key: ws.secretKey,
      raw: cdnowCsv(),
      contentType: 'text/csv',
    });
    const before = await callJson('/v1/clients/1/history', { key: ws.secretKey });
    const daysRuleSleep = before.body.stages
      .filter((s: { stage: string }) => s.stage === 'sleeping')
      .at(-1)?.enteredAt;
    const fit = await callJson('/v1/clv/model/fit', {
      key: ws.secretKey,
      body: { asOf: '1998-07-01', timeUnit: 'week' },
    });
    expect(fit.status).toBe(200);
    // Customer 1 (the sample's first) bought on 1997-01-01, 01-18, 08-02 and 12-12: x = 3 repeat days.
    const purchaseDays = ['1997-01-01', '1997-01-18', '1997-08-02', '1997-12-12'].map((d) =>
      Date.parse(d),
    );
    const rule = pAliveSleepRule(
      fit.body,
      0.5,
      daysSleepRule(v.parse(LifecycleSettingsSchema, {})),
    );
    const expected = new Date(purchaseDays.at(-1)! + rule(purchaseDays)!).toISOString();
    expect(expected).not.toBe(daysRuleSleep);
    // The fit re-derives the histories after answering (waitUntil); the client's own history then shows it.
    let sleepingAt: string | undefined;
    for (let i = 0; i < 20 && sleepingAt !== expected; i++) {
      const { body } = await callJson('/v1/clients/1/history', { key: ws.secretKey });
      sleepingAt = body.stages
        .filter((s: { stage: string }) => s.stage === 'sleeping')
        .at(-1)?.enteredAt;
      if (sleepingAt !== expected) await new Promise((r) => setTimeout(r, 50));
    }
    expect(sleepingAt).toBe(expected);
    // The stored histories (what the funnel counts) are re-derived after the fit answers.
    let stored: string | undefined;
    for (let i = 0; i < 200 && stored !== expected; i++) {
      const row = await env.DB.prepare(
        "SELECT entered_at FROM stage_spells WHERE workspace_id = ?1 AND client_id = '1' AND stage = 'sleeping' ORDER BY seq DESC LIMIT 1",
      )
        .bind(ws.id)
        .first<{ entered_at: string }>();
      stored = row?.entered_at;
      if (stored !== expected) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored).toBe(expected);
  }, 60_000);
});
