import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { routes } from '../../worker/routes/index.ts';
import { type HostileRequest, hostileCorpus } from './trust-corpus.ts';
import { ADMIN, createWorkspace, postEvents } from './helpers.ts';

/** Every row of every table, hashed: "the database is unchanged" means this digest is. */
export async function databaseDigest(): Promise<{ digest: string; rows: number }> {
  const tables = (
    await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    ).all<{ name: string }>()
  ).results;
  let text = '';
  let rows = 0;
  for (const { name } of tables) {
    const result = await env.DB.prepare(`SELECT * FROM ${name}`).all();
    rows += result.results.length;
    text += `${name}:${result.results
      .map((row) => JSON.stringify(row))
      .sort()
      .join('\n')}\n`;
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return {
    digest: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
    rows,
  };
}

async function send(h: HostileRequest): Promise<string | null> {
  const res = await exports.default.fetch(
    new Request(`https://api.test${h.path}`, {
      method: h.method,
      headers: h.headers,
      body: h.body,
    }),
  );
  const text = await res.text();
  const where = `${h.family} ${h.method} ${h.path.slice(0, 120)} → ${res.status}`;
  if (res.status < 400 || res.status >= 500)
    return `${where}: ${text.slice(0, 200)} (sent ${h.body?.slice(0, 300) ?? 'no body'})`;
  if (!res.headers.get('content-type')?.startsWith('application/problem+json'))
    return `${where}: content-type ${res.headers.get('content-type')}`;
  try {
    const body = JSON.parse(text) as { status?: number; type?: string; title?: string };
    if (body.status !== res.status || !body.type || !body.title)
      return `${where}: not a problem body ${text.slice(0, 200)}`;
  } catch {
    return `${where}: body is not JSON`;
  }
  return null;
}

/**
 * Runs one seeded share of the hostile corpus against a workspace with some data, in a few
 * concurrent lanes, and asserts: only 4xx problem+json answers, and not one row changed.
 */
export async function runHostileShare(
  seed: number,
  count: number,
): Promise<{ sent: number; families: Map<string, number> }> {
  const ws = await createWorkspace({ allowedOrigins: ['https://a.example'] });
  await postEvents(ws.secretKey, [
    { id: 'h1', clientId: 'acme', type: 'outreach', at: '2024-01-01' },
    { id: 'h2', clientId: 'acme', type: 'purchase', at: '2024-02-01', amount: 100 },
    { id: 'h3', clientId: 'globex', type: 'referral', at: '2024-02-03', referredClientId: 'acme' },
  ]);
  const corpus = hostileCorpus(
    routes,
    { secretKey: ws.secretKey, adminToken: ADMIN },
    { seed, count },
  );
  const before = await databaseDigest();
  const failures: string[] = [];
  const lanes = 4;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < corpus.length; i += lanes) {
        const failure = await send(corpus[i]!);
        if (failure) failures.push(failure);
      }
    }),
  );
  expect(
    failures.slice(0, 15),
    `${failures.length} of ${corpus.length} hostile requests were not refused cleanly`,
  ).toEqual([]);
  const after = await databaseDigest();
  expect(after.rows).toBe(before.rows);
  expect(after.digest).toBe(before.digest);
  const families = new Map<string, number>();
  for (const h of corpus)
    for (const f of h.family.split('+')) families.set(f, (families.get(f) ?? 0) + 1);
  return { sent: corpus.length, families };
}
