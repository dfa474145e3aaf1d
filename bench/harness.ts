import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const root = path.join(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Times `fn` `runs` times after one warm-up; returns the median and the spread in ms. */
export async function timeIt(
  fn: () => unknown,
  runs = 15,
): Promise<{ median: number; min: number; max: number }> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

export interface LocalApi {
  base: string;
  admin: string;
  stop(): void;
  /**
   * CPU time (ms, user + system) used so far by wrangler and everything it started (workerd,
   * which runs the Worker and the local D1's SQLite): less sensitive to a shared machine's load
   * than wall time. Null where /proc is missing (not Linux).
   */
  serverCpuMs(): number | null;
}

/** User + system CPU ms of a process and all its descendants, from /proc (Linux). */
export function treeCpuMs(root: number): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses: state ppid … utime stime.
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The process ended while we looked.
    }
  }
  let ticks = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  // Linux reports in clock ticks of 1/100 s (USER_HZ) on every common configuration.
  return ticks * 10;
}

/**
 * A real `wrangler dev` (workerd + local D1 on disk) on its own port and state directory, so a
 * benchmark measures the whole path a request takes: HTTP, the Worker, D1.
 */
export async function startLocalApi(
  name: string,
  port: number,
  { keepState = false } = {},
): Promise<LocalApi> {
  const state = path.join(root, 'bench', '.tmp', name);
  // keepState: restart on the same local D1 file (e.g. after seeding it with the server down).
  if (!keepState) rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const admin = 'bench-admin-token';
  // Every database wrangler.toml binds (the control one, DB, and the second data database).
  for (const database of ['clientfolio', 'clientfolio-2']) {
    const migrate = spawnSync(
      bin('wrangler'),
      ['d1', 'migrations', 'apply', database, '--local', '--persist-to', state],
      { cwd: root, env: { ...process.env, CI: 'true' } },
    );
    if (migrate.status !== 0) throw new Error(`migrations failed: ${String(migrate.stderr)}`);
  }
  const child: ChildProcess = spawn(
    bin('wrangler'),
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      state,
      '--var',
      `ADMIN_TOKEN:${admin}`,
      '--show-interactive-dev-session=false',
      '--log-level',
      'error',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/v1/health`)).ok) break;
    } catch {
      // Not up yet: try again.
    }
    if (i > 240) throw new Error('wrangler dev did not come up');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    admin,
    stop: () => child.kill('SIGTERM'),
    serverCpuMs: () => (child.pid === undefined ? null : treeCpuMs(child.pid)),
  };
}

export async function http(
  base: string,
  pathname: string,
  key: string,
  body?: unknown,
  method = body ? 'POST' : 'GET',
) {
  const res = await fetch(`${base}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}
