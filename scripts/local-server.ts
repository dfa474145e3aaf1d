// The steps of `npm start` (scripts/start.mjs), as functions that tests can run on their own.
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { generateDemo } from './demo-data.ts';

export type Api = <T = unknown>(
  pathname: string,
  options?: { key?: string; method?: string; body?: unknown },
) => Promise<T>;

/** A JSON client of the local API that throws on any non-2xx answer, quoting it. */
export function apiClient(base: string): Api {
  return async <T>(
    pathname: string,
    { key, method = 'GET', body }: { key?: string; method?: string; body?: unknown } = {},
  ): Promise<T> => {
    const res = await fetch(`${base}${pathname}`, {
      method,
      headers: {
        ...(key && { authorization: `Bearer ${key}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Waits until `GET /v1/health` answers 200, or fails when the server exits or a minute passes. */
export async function waitForHealth(
  base: string,
  child?: ChildProcess,
  tries = 240,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (child && child.exitCode !== null)
      throw new Error('wrangler dev exited before the API came up');
    try {
      if ((await fetch(`${base}/v1/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not answer on ${base} within a minute`);
}

/** The two loopback origins a browser uses for the local server on `port`. */
export const localOrigins = (port: number): string[] => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
];

const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

/**
 * The demo workspace's origins for a start on `port`: npm start owns the plain-http loopback
 * origins, so those of earlier starts are replaced by this port's (they used to pile up past the
 * limit of 50); any other origin someone added is kept.
 */
export function withLocalOrigins(current: readonly string[], port: number): string[] {
  return [...new Set([...current.filter((o) => !LOOPBACK.test(o)), ...localOrigins(port)])];
}

export interface DemoWorkspace {
  workspaceId: string;
  secretKey: string;
  publishableKey: string;
  restrictedKey: string | null;
}

interface WorkspaceAnswer {
  id: string;
  name: string;
  allowedOrigins: string[];
}

/**
 * The start-up step that runs after health: points the demo workspace's loopback origins at this
 * port. Changes nothing when they already are; answers the workspace as stored.
 */
export async function useLocalOrigins(
  api: Api,
  secretKey: string,
  port: number,
): Promise<WorkspaceAnswer> {
  const current = await api<WorkspaceAnswer>('/v1/workspace', { key: secretKey });
  const wanted = withLocalOrigins(current.allowedOrigins, port);
  const same =
    wanted.length === current.allowedOrigins.length &&
    wanted.every((o, i) => o === current.allowedOrigins[i]);
  if (same) return current;
  return api<WorkspaceAnswer>('/v1/workspace', {
    key: secretKey,
    method: 'PATCH',
    body: { allowedOrigins: wanted },
  });
}

/**
 * The start-up steps after health. The server is up by then and must stay up, so a failure is
 * answered as text for the caller to report, never thrown.
 */
export async function afterHealth(
  api: Api,
  demo: DemoWorkspace,
  port: number,
): Promise<string | null> {
  try {
    await useLocalOrigins(api, demo.secretKey, port);
    return null;
  } catch (error) {
    return `the demo workspace's allowed origins could not be set to this port: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Creates and fills the demo workspace through the API; its origins are those of `port`. */
export async function seedDemo(
  api: Api,
  adminToken: string,
  port: number,
  { clients = 2500, log = (_: string) => {} }: { clients?: number; log?: (s: string) => void } = {},
): Promise<DemoWorkspace> {
  const today = new Date();
  const end = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
  ).toISOString();
  const demo = generateDemo({ end, clients });
  const ws = await api<WorkspaceAnswer & { secretKey: string; publishableKey: string }>(
    '/v1/workspaces',
    {
      key: adminToken,
      method: 'POST',
      body: { name: 'Demo portfolio', allowedOrigins: localOrigins(port) },
    },
  );
  log(`Seeding the demo workspace: ${demo.clients.length} clients, ${demo.events.length} events `);
  for (let i = 0; i < demo.clients.length; i += 25) {
    await Promise.all(
      demo.clients.slice(i, i + 25).map(({ id, ...c }) =>
        api(`/v1/clients/${encodeURIComponent(id)}`, {
          key: ws.secretKey,
          method: 'PUT',
          body: c,
        }),
      ),
    );
  }
  for (let i = 0; i < demo.events.length; i += 1000) {
    await api('/v1/events', {
      key: ws.secretKey,
      method: 'POST',
      body: { events: demo.events.slice(i, i + 1000) },
    });
    log('.');
  }
  log(' done\n');
  // The dashboard's work list is operated by the head of sales: a restricted key for every manager.
  const managers = [
    ...new Set(demo.clients.map((c) => c.attributes.manager).filter(Boolean)),
  ].sort();
  const restricted = await api<{ key: string }>('/v1/keys', {
    key: ws.secretKey,
    method: 'POST',
    body: { kind: 'restricted', label: 'demo head of sales', scope: { supervisorOf: managers } },
  });
  return {
    workspaceId: ws.id,
    secretKey: ws.secretKey,
    publishableKey: ws.publishableKey,
    restrictedKey: restricted.key,
  };
}

/**
 * Writes the folder `wrangler dev` serves: demo/ plus the files made for this start (the demo
 * keys, the port). It is written before wrangler starts and never touched while it runs:
 * wrangler watches the folder it serves and restarts the Worker on any change, which cut off the
 * first requests after health.
 */
export function writeSite(
  site: string,
  {
    demoDir,
    bundle,
    port,
    demo,
  }: { demoDir: string; bundle: string | null; port: number; demo: DemoWorkspace },
): void {
  rmSync(site, { recursive: true, force: true });
  cpSync(demoDir, site, { recursive: true });
  if (bundle) cpSync(bundle, path.join(site, 'clientfolio.js'));
  // The components shipped standalone only (not in the bundle) sit beside it, in standalone/.
  const standalone = bundle && path.join(path.dirname(bundle), 'standalone');
  if (standalone && existsSync(standalone))
    cpSync(standalone, path.join(site, 'standalone'), { recursive: true });
  const base = `http://localhost:${port}`;
  writeFileSync(
    path.join(site, 'demo-config.js'),
    `// Written by npm start for the local demo workspace.\nexport const apiBase = ${JSON.stringify(base)};\nexport const publishableKey = ${JSON.stringify(demo.publishableKey)};\nexport const restrictedKey = ${JSON.stringify(demo.restrictedKey)};\n`,
  );
  // The plain embed page with the demo key in place of the placeholder, ready to open. A browser
  // sends no Origin header on a same-origin GET and the API refuses a publishable key without one,
  // so this copy reads the API through the other loopback name (an allowed origin too).
  const embed = readFileSync(path.join(demoDir, 'embed.html'), 'utf8')
    .replaceAll('pk_your_publishable_key', demo.publishableKey)
    .replaceAll('api-base="/"', `api-base="http://127.0.0.1:${port}"`);
  mkdirSync(path.join(site, 'local'), { recursive: true });
  writeFileSync(path.join(site, 'local', 'embed.html'), embed);
}
