// `npm start` as a script or CI uses it: start, send requests the moment health answers, stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  afterHealth,
  apiClient,
  type DemoWorkspace,
  freePort,
  localOrigins,
  useLocalOrigins,
  withLocalOrigins,
} from './local-server.ts';

const root = path.join(import.meta.dirname, '..');
const bin = path.join(root, 'node_modules', '.bin');

describe('withLocalOrigins', () => {
  it("replaces every loopback origin by this port's two and keeps the others", () => {
    const current = [
      'https://intranet.example.com',
      'http://localhost:8787',
      'http://127.0.0.1:8787',
      'http://localhost:9000',
      'http://127.0.0.1',
      'https://localhost:3000',
    ];
    expect(withLocalOrigins(current, 4000)).toEqual([
      'https://intranet.example.com',
      'https://localhost:3000',
      'http://localhost:4000',
      'http://127.0.0.1:4000',
    ]);
    expect(withLocalOrigins(localOrigins(4000), 4000)).toEqual(localOrigins(4000));
  });
});

describe('npm start', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'clientfolio-start-'));
  let port: number;
  let base: string;
  let server: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exited: Promise<number | null>;

  const banner = () =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stdout.includes('Press Ctrl+C to stop.')) resolve();
        else if (server.exitCode !== null) reject(new Error(`npm start exited: ${stderr}`));
        else setTimeout(check, 50);
      };
      check();
    });

  const get = (pathname: string, init?: RequestInit) =>
    fetch(`${base}${pathname}`, init).then(
      async (res) => ({ pathname, status: res.status, body: await res.text() }),
      (error: unknown) => ({ pathname, status: 0, body: String(error) }),
    );

  /** Requests of every kind at once: health, OpenAPI, demo pages, reads and writes with the secret key. */
  const burst = (secretKey: string, tag: string) => {
    const auth = { authorization: `Bearer ${secretKey}` };
    const events = (i: number) =>
      JSON.stringify({
        events: [
          {
            id: `${tag}-o${i}`,
            clientId: `${tag}-client-${i}`,
            type: 'outreach',
            at: '2026-09-01',
          },
        ],
      });
    const csv = (i: number) => `client_id,date,amount\n${tag}-csv-${i},2026-01-15,${100 + i}.00\n`;
    return Promise.all([
      ...Array.from({ length: 10 }, () => get('/v1/health')),
      ...['/openapi.json', '/', '/demo-config.js', '/local/embed.html', '/clientfolio.js'].map(
        (p) => get(p),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        get('/v1/events', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: events(i),
        }),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        get('/v1/import/transactions', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/csv' },
          body: csv(i),
        }),
      ),
      ...Array.from({ length: 4 }, () => get('/v1/clients?limit=5', { headers: auth })),
    ]);
  };

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(path.join(bin, 'node'), ['scripts/start.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        PORT: String(port),
        CLIENTFOLIO_STATE_DIR: stateDir,
        // A small demo: the test is about starting, not about seeding 2,500 clients.
        DEMO_CLIENTS: '30',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    server.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    exited = new Promise((resolve) => server.once('exit', resolve));
  });

  afterAll(async () => {
    if (server.exitCode === null && server.pid) {
      // Its own process group (detached): wrangler and workerd go with it if a test failed early.
      process.kill(-server.pid, 'SIGKILL');
      await exited;
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers a burst sent the moment /v1/health answers without a 5xx, then prints the banner', async () => {
    // Two wrangler starts (the first seeds on a private port) and a migration: slow on a busy machine.
    const deadline = Date.now() + 150_000;
    for (;;) {
      expect(server.exitCode, stderr).toBeNull();
      expect(Date.now() < deadline, 'health within 150 s').toBe(true);
      if ((await get('/v1/health')).status === 200) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    // The keys are on disk before the server starts, so the writes go out with the first requests.
    const saved = JSON.parse(
      readFileSync(path.join(stateDir, 'demo-workspace.json'), 'utf8'),
    ) as DemoWorkspace;
    const first = await burst(saved.secretKey, 'first');
    expect(first.filter((r) => r.status === 0 || r.status >= 500)).toEqual([]);
    expect(first.every((r) => r.status === 200)).toBe(true);

    await banner();
    expect(stdout).toContain(`Clientfolio is running on http://localhost:${port}\n`);
    expect(stdout).toContain(`secret key       ${saved.secretKey}`);
    const again = await burst(saved.secretKey, 'again');
    expect(again.filter((r) => r.status !== 200)).toEqual([]);

    const config = await get('/demo-config.js');
    expect(config.body).toContain(`"http://localhost:${port}"`);
    expect(config.body).toContain(saved.publishableKey);
    expect((await get('/local/embed.html')).body).toContain(`api-base="http://127.0.0.1:${port}"`);
    expect(await apiClient(base)('/v1/workspace', { key: saved.secretKey })).toMatchObject({
      allowedOrigins: localOrigins(port),
    });
    // The files made for this start are in the served folder of the state directory.
    expect(existsSync(path.join(stateDir, 'site', 'demo-config.js'))).toBe(true);
  }, 180_000);

  it('keeps the demo workspace valid over a hundred starts on different ports', async () => {
    const api = apiClient(base);
    const { secretKey } = JSON.parse(
      readFileSync(path.join(stateDir, 'demo-workspace.json'), 'utf8'),
    ) as DemoWorkspace;
    const own = 'https://intranet.example.com';
    await api('/v1/workspace', {
      key: secretKey,
      method: 'PATCH',
      body: { allowedOrigins: [own, ...localOrigins(port)] },
    });
    for (let i = 0; i < 100; i++) {
      const ws = await useLocalOrigins(api, secretKey, 20_000 + i);
      expect(ws.allowedOrigins).toEqual([own, ...localOrigins(20_000 + i)]);
    }
    expect(await api('/v1/workspace', { key: secretKey })).toMatchObject({
      allowedOrigins: [own, ...localOrigins(20_099)],
    });
    await useLocalOrigins(api, secretKey, port);
  }, 60_000);

  it('reports a failed step after health and leaves the server running', async () => {
    const api = apiClient(base);
    const demo = JSON.parse(
      readFileSync(path.join(stateDir, 'demo-workspace.json'), 'utf8'),
    ) as DemoWorkspace;
    // 49 origins of the user's own plus one loopback: this port's two would make 51.
    const own = Array.from({ length: 49 }, (_, i) => `https://shop${i}.example.com`);
    await api('/v1/workspace', {
      key: demo.secretKey,
      method: 'PATCH',
      body: { allowedOrigins: [...own, `http://localhost:${port}`] },
    });
    const problem = await afterHealth(api, demo, port + 1);
    expect(problem).toMatch(/allowed origins could not be set.*400.*at most 50/);
    expect((await get('/v1/health')).status).toBe(200);
    expect(await afterHealth(api, { ...demo, secretKey: 'sk_gone' }, port)).toMatch(/401/);
    expect(server.exitCode).toBeNull();
  }, 30_000);

  it('stops cleanly on SIGTERM', async () => {
    server.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running'), 20_000)),
    ]);
    expect(code).toBe(0);
    expect((await get('/v1/health')).status).toBe(0);
    expect(stderr).not.toMatch(/restarted mid-request/i);
  }, 30_000);
});
