// `npm start`: local D1 migrated, the demo workspace seeded, API + demo served on localhost.
// Everything runs locally in workerd through wrangler: nothing to sign up for.
//
// Once the server answers health it is never restarted: everything wrangler watches (the served
// folder, .dev.vars) is written before it starts, and the steps after health only call the API.
// A first start seeds the demo workspace on a private port, then starts the server for good.
//
// PORT (default 8787) picks the port; CLIENTFOLIO_STATE_DIR (default .wrangler/) holds the local
// D1, the demo workspace's keys and the served folder; DEMO_CLIENTS (default 2500) sizes the demo.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  afterHealth,
  apiClient,
  freePort,
  seedDemo,
  waitForHealth,
  writeSite,
} from './local-server.ts';

const root = path.join(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const stateDir = path.resolve(root, process.env.CLIENTFOLIO_STATE_DIR ?? '.wrangler');
const persistDir = path.join(stateDir, 'state');
const savedDemoPath = path.join(stateDir, 'demo-workspace.json');
const site = path.join(stateDir, 'site');
const demoClients = Number(process.env.DEMO_CLIENTS ?? 2500);

function adminToken() {
  const file = path.join(root, '.dev.vars');
  const existing = existsSync(file)
    ? /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(readFileSync(file, 'utf8'))?.[1]
    : undefined;
  if (existing) return existing;
  const token = `admin_${randomBytes(24).toString('base64url')}`;
  writeFileSync(
    file,
    `${existsSync(file) ? `${readFileSync(file, 'utf8').trimEnd()}\n` : ''}ADMIN_TOKEN="${token}"\n`,
  );
  console.log(`Created .dev.vars with a new admin token.`);
  return token;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The wrangler dev process running now, for the signal handlers. */
let current = null;
/** Ctrl+C or SIGTERM asked us to stop: wrangler's exit is then a clean one. */
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopping = true;
    if (current && current.exitCode === null) current.kill(signal);
    else process.exit(0);
  });

function startWrangler(onPort) {
  const child = spawn(
    bin('wrangler'),
    [
      'dev',
      '--port',
      String(onPort),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      persistDir,
      '--assets',
      site,
      '--show-interactive-dev-session=false',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout.on('data', (chunk) => {
    if (process.env.VERBOSE) process.stdout.write(chunk);
  });
  current = child;
  return child;
}

const stop = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });

/** First start: a private server seeds the demo workspace, then stops before the real one starts. */
async function seedOnPrivatePort(token) {
  const privatePort = await freePort();
  const privateBase = `http://127.0.0.1:${privatePort}`;
  mkdirSync(site, { recursive: true });
  const child = startWrangler(privatePort);
  try {
    await waitForHealth(privateBase, child);
    const demo = await seedDemo(apiClient(privateBase), token, port, {
      clients: demoClients,
      log: (s) => process.stdout.write(s),
    });
    writeFileSync(savedDemoPath, JSON.stringify(demo, null, 2));
    return demo;
  } finally {
    await stop(child);
  }
}

const token = adminToken();
mkdirSync(stateDir, { recursive: true });
// Both databases of wrangler.toml: the control database (also the first data database) and the
// second data database; every migration applies to both.
for (const database of ['clientfolio', 'clientfolio-2'])
  run(bin('wrangler'), [
    'd1',
    'migrations',
    'apply',
    database,
    '--local',
    '--persist-to',
    persistDir,
  ]);
let bundle = null;
if (existsSync(path.join(root, 'scripts', 'build-components.mjs'))) {
  run(process.execPath, [path.join(root, 'scripts', 'build-components.mjs')]);
  const built = path.join(root, 'dist', 'clientfolio.js');
  if (existsSync(built)) bundle = built;
}

let demo;
let seeded = false;
try {
  if (existsSync(savedDemoPath)) demo = JSON.parse(readFileSync(savedDemoPath, 'utf8'));
  else {
    demo = await seedOnPrivatePort(token);
    seeded = true;
  }
  writeSite(site, { demoDir: path.join(root, 'demo'), bundle, port, demo });
} catch (error) {
  console.error(
    `Could not prepare the demo workspace: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}

const dev = startWrangler(port);
dev.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));
try {
  await waitForHealth(base, dev);
} catch (error) {
  console.error(String(error));
  dev.kill('SIGTERM');
  process.exit(1);
}

// From here on the server stays up whatever happens: a failed step is reported, not fatal.
const problem = await afterHealth(apiClient(base), demo, port);
if (problem)
  console.error(
    `\nThe API is running, but a start-up step failed: ${problem}\n` +
      `The demo pages may be refused; fix the workspace with PATCH /v1/workspace, or delete ${path.relative(root, stateDir) || stateDir}/ to seed afresh.`,
  );
console.log(`
Clientfolio is running on ${base}${problem ? ' (with the start-up problem above)' : ''}
  demo dashboard   ${base}/
  plain embed      ${base}/embed.html
  embed, your key  ${base}/local/embed.html
  OpenAPI          ${base}/openapi.json
  job runs         curl -H "Authorization: Bearer ${token}" ${base}/v1/jobs

  admin token      ${token}        (from .dev.vars)
  demo workspace   ${demo.workspaceId}${seeded ? '' : ` (seeded earlier; delete ${path.relative(root, stateDir) || stateDir}/ to start afresh)`}
  secret key       ${demo.secretKey}
  publishable key  ${demo.publishableKey}

Try:  curl -H "Authorization: Bearer ${demo.secretKey}" ${base}/v1/lifecycle/funnel
Press Ctrl+C to stop.`);
