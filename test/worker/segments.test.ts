import { describe, expect, it } from 'vitest';
import { call, callJson, createWorkspace, expectProblem, postEvents } from './helpers.ts';

// Four buyers over Jan–Dec 2025, hand-computed: a 720 (72%), b 200 (cumulative 92%), c 70 (99%), d 10 (100%).
// a buys 60 every month (cv 0 → X); b 100 in two months (cv high → Z).
const buy = (id: string, clientId: string, at: string, amount: number) => ({
  id,
  clientId,
  type: 'purchase',
  at,
  amount,
  margin: amount / 4,
});
const portfolio = [
  ...Array.from({ length: 12 }, (_, m) =>
    buy(`a${m}`, 'a', `2025-${String(m + 1).padStart(2, '0')}-10`, 60),
  ),
  buy('b1', 'b', '2025-03-05', 100),
  buy('b2', 'b', '2025-09-05', 100),
  buy('c1', 'c', '2025-06-01', 70),
  buy('d1', 'd', '2025-06-01', 10),
  { id: 'e1', clientId: 'e', type: 'outreach', at: '2025-06-01' },
  { id: 'f1', clientId: 'f', type: 'referral', at: '2025-07-01' },
  { id: 'f2', clientId: 'f', type: 'review', at: '2025-07-02', rating: 5 },
];

async function seeded() {
  const ws = await createWorkspace({ allowedOrigins: ['https://intranet.example'] });
  expect((await postEvents(ws.secretKey, portfolio)).body.accepted).toBe(portfolio.length);
  return ws;
}

describe('segmentation endpoints', () => {
  it('ABC-XYZ follows the conventions on a hand-computed window', async () => {
    const ws = await seeded();
    const { status, body } = await callJson('/v1/segments/abc-xyz?from=2025-01-01&to=2026-01-01', {
      key: ws.secretKey,
    });
    expect(status).toBe(200);
    const by = Object.fromEntries(body.clients.map((c: { id: string }) => [c.id, c]));
    expect(by.a).toMatchObject({ abc: 'A', xyz: 'X' });
    expect(by.b).toMatchObject({ abc: 'A', xyz: 'Z' }); // crosses 80% → still A
    expect(by.c).toMatchObject({ abc: 'B' });
    expect(by.d).toMatchObject({ abc: 'C' });
    expect(by.a.share).toBeCloseTo(0.72, 6);
    expect(body.matrix).toMatchObject({ AX: 1, AZ: 1, BZ: 1, CZ: 1, AY: 0 });
    expect(body.clients.map((c: { id: string }) => c.id)).not.toContain('e');
  });

  it('rejects bad query values naming them', async () => {
    const ws = await seeded();
    await expectProblem(
      await call('/v1/segments/abc-xyz?period=fortnight', { key: ws.secretKey }),
      400,
      ['period'],
    );
    await expectProblem(
      await call('/v1/segments/abc-xyz?measure=profit', { key: ws.secretKey }),
      400,
      ['measure'],
    );
    await expectProblem(
      await call('/v1/segments/abc-xyz?from=2025-06-01&to=2025-01-01', { key: ws.secretKey }),
      400,
      ['to'],
    );
    await expectProblem(
      await call('/v1/segments/abc-xyz?from=2025-01-15', { key: ws.secretKey }),
      400,
      ['from'],
    );
    await expectProblem(await call('/v1/segments/conversion', { key: ws.secretKey }), 400, ['by']);
    await expectProblem(await call('/v1/segments/rfm?asOf=never', { key: ws.secretKey }), 400, [
      'asOf',
    ]);
  });

  it('RFM scores every buyer and names segments; prospects have none', async () => {
    const ws = await seeded();
    const { body } = await callJson('/v1/segments/rfm?asOf=2026-01-01', { key: ws.secretKey });
    const scored = body.clients
      .filter((c: { segment: string }) => c.segment !== 'prospects')
      .map((c: { id: string }) => c.id)
      .sort();
    expect(scored).toEqual(['a', 'b', 'c', 'd']);
    expect(
      body.clients
        .filter((c: { segment: string }) => c.segment === 'prospects')
        .map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual(['e', 'f']);
    const a = body.clients.find((c: { id: string }) => c.id === 'a');
    expect(a).toMatchObject({ f: 5, m: 5 });
    expect(typeof a.segment).toBe('string');
  });

  it('client types are counted, filterable and carried by the profile with reasons', async () => {
    const ws = await seeded();
    const counts = await callJson('/v1/segments/types', { key: ws.secretKey });
    expect(counts.status).toBe(200);
    const fans = await callJson('/v1/clients?type=fan', { key: ws.secretKey });
    expect(fans.body.data.map((c: { id: string }) => c.id)).toEqual(['f']);
    const profile = await callJson('/v1/clients/f', { key: ws.secretKey });
    const fan = profile.body.types.find((t: { type: string }) => t.type === 'fan');
    expect(fan.reasons.length).toBeGreaterThan(0);
    const a = await callJson('/v1/clients/a', { key: ws.secretKey });
    expect(a.body.types.map((t: { type: string }) => t.type)).toContain('golden');
  });

  it('a profile explains its types in the language of Accept-Language: English by default, Russian for ru', async () => {
    const ws = await seeded();
    const fanOf = async (headers: Record<string, string>) => {
      const res = await call('/v1/clients/f', { key: ws.secretKey, headers });
      expect(res.status).toBe(200);
      const body = await res.json<{
        types: { type: string; reasons: { code: string; params: object; text: string }[] }[];
      }>();
      return { res, fan: body.types.find((t) => t.type === 'fan')! };
    };
    const english = await fanOf({});
    expect(english.res.headers.get('content-language')).toBe('en');
    expect(english.res.headers.get('vary')).toMatch(/Accept-Language/);
    const russian = await fanOf({ 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' });
    expect(russian.res.headers.get('content-language')).toBe('ru-RU');
    // The same data either way; only the text changes.
    expect(russian.fan.reasons.map(({ code, params }) => ({ code, params }))).toEqual(
      english.fan.reasons.map(({ code, params }) => ({ code, params })),
    );
    expect(english.fan.reasons.map((r) => r.text)).toEqual(['1 referral']);
    expect(russian.fan.reasons.map((r) => r.text)).toEqual(['1 рекомендация']);
    // A language without a table falls back to English; a lower q does not win over a higher one.
    const german = await fanOf({ 'accept-language': 'de-DE, en;q=0.5, ru;q=0.4' });
    expect(german.fan.reasons.map((r) => r.text)).toEqual(['1 referral']);
  });

  it('portfolio shows concentration and the mono-client warning; a publishable key may read it', async () => {
    const ws = await seeded();
    const { status, body } = await callJson('/v1/portfolio?asOf=2026-01-01', {
      key: ws.publishableKey,
      origin: 'https://intranet.example',
    });
    expect(status).toBe(200);
    // a brings 720 of the year's 1,000: a mono-client (> 50% of revenue).
    const mono = body.warnings.find((w: { code: string }) => w.code === 'mono_client');
    expect(mono).toMatchObject({ clientId: 'a' });
    expect(mono.share).toBeCloseTo(0.72, 6);
  });

  it('segment conversion groups by any attribute', async () => {
    const ws = await seeded();
    await callJson('/v1/clients/a', {
      method: 'PUT',
      key: ws.secretKey,
      body: { attributes: { channel: 'referral' } },
    });
    const { status, body } = await callJson('/v1/segments/conversion?by=channel', {
      key: ws.secretKey,
    });
    expect(status).toBe(200);
    const referral = body.segments.find((g: { value: unknown }) => g.value === 'referral');
    expect(referral).toMatchObject({ clients: 1, acquired: 1 });
  });
});
