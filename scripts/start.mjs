// `npm start`: local D1 migrated, the demo workspace seeded, API + demo served on localhost.
// Everything runs locally in workerd through wrangler: nothing to sign up for.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const statePath = path.join(root, '.wrangler', 'demo-workspace.json');

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

async function waitForHealth(child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error('wrangler dev exited before the API came up');
    try {
      const res = await fetch(`${base}/v1/health`);
      if (res.ok) return;
    } catch {
      // Not up yet: try again.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not answer on ${base} within a minute`);
}

async function api(pathname, { key, method = 'GET', body } = {}) {
  const res = await fetch(`${base}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body && { 'content-type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function seed(token) {
  if (existsSync(statePath)) {
    const saved = JSON.parse(readFileSync(statePath, 'utf8'));
    const ok = await fetch(`${base}/v1/settings`, {
      headers: { authorization: `Bearer ${saved.secretKey}` },
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { ...saved, seeded: false };
  }
  const { generateDemo } = await import('./demo-data.ts');
  const today = new Date();
  const end = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
  ).toISOString();
  const demo = generateDemo({ end });
  const origins = [...new Set([base, `http://127.0.0.1:${port}`])];
  const ws = await api('/v1/workspaces', {
    key: token,
    method: 'POST',
    body: { name: 'Demo portfolio', allowedOrigins: origins },
  });
  process.stdout.write(
    `Seeding the demo workspace: ${demo.clients.length} clients, ${demo.events.length} events `,
  );
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
    process.stdout.write('.');
  }
  process.stdout.write(' done\n');
  mkdirSync(path.dirname(statePath), { recursive: true });
  // The dashboard's work list is operated by the head of sales: a restricted key for every manager.
  const managers = [
    ...new Set(demo.clients.map((c) => c.attributes.manager).filter(Boolean)),
  ].sort();
  const restricted = await api('/v1/keys', {
    key: ws.secretKey,
    method: 'POST',
    body: { kind: 'restricted', label: 'demo head of sales', scope: { supervisorOf: managers } },
  });
  const saved = {
    workspaceId: ws.id,
    secretKey: ws.secretKey,
    publishableKey: ws.publishableKey,
    restrictedKey: restricted.key,
  };
  writeFileSync(statePath, JSON.stringify(saved, null, 2));
  return { ...saved, seeded: true };
}

const token = adminToken();
run(bin('wrangler'), ['d1', 'migrations', 'apply', 'clientfolio', '--local']);
if (existsSync(path.join(root, 'scripts', 'build-components.mjs'))) {
  run(process.execPath, [path.join(root, 'scripts', 'build-components.mjs')]);
  const bundle = path.join(root, 'dist', 'clientfolio.js');
  if (existsSync(bundle)) copyFileSync(bundle, path.join(root, 'demo', 'clientfolio.js'));
}

const dev = spawn(
  bin('wrangler'),
  ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
dev.stdout.on('data', (chunk) => {
  if (process.env.VERBOSE) process.stdout.write(chunk);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));

try {
  await waitForHealth(dev);
  const demo = await seed(token);
  // A workspace seeded on another port must still accept this port's pages.
  const current = await api('/v1/workspace', { key: demo.secretKey });
  const wanted = [...new Set([...current.allowedOrigins, base, `http://127.0.0.1:${port}`])];
  if (wanted.length !== current.allowedOrigins.length)
    await api('/v1/workspace', {
      key: demo.secretKey,
      method: 'PATCH',
      body: { allowedOrigins: wanted },
    });
  writeFileSync(
    path.join(root, 'demo', 'demo-config.js'),
    `// Written by npm start for the local demo workspace; not committed.\nexport const apiBase = ${JSON.stringify(base)};\nexport const publishableKey = ${JSON.stringify(demo.publishableKey)};\nexport const restrictedKey = ${JSON.stringify(demo.restrictedKey ?? null)};\n`,
  );
  // The plain embed page with the demo key in place of the placeholder, ready to open. A browser
  // sends no Origin header on a same-origin GET and the API refuses a publishable key without one,
  // so this copy reads the API through the other loopback name (an allowed origin too).
  const embed = readFileSync(path.join(root, 'demo', 'embed.html'), 'utf8')
    .replaceAll('pk_your_publishable_key', demo.publishableKey)
    .replaceAll('api-base="/"', `api-base="http://127.0.0.1:${port}"`);
  mkdirSync(path.join(root, 'demo', 'local'), { recursive: true });
  writeFileSync(path.join(root, 'demo', 'local', 'embed.html'), embed);
  console.log(`
Clientfolio is running on ${base}
  demo dashboard   ${base}/
  plain embed      ${base}/embed.html
  embed, your key  ${base}/local/embed.html
  OpenAPI          ${base}/openapi.json

  admin token      ${token}        (from .dev.vars)
  demo workspace   ${demo.workspaceId}${demo.seeded ? '' : ' (seeded earlier; delete .wrangler/ to start afresh)'}
  secret key       ${demo.secretKey}
  publishable key  ${demo.publishableKey}

Try:  curl -H "Authorization: Bearer ${demo.secretKey}" ${base}/v1/lifecycle/funnel
Press Ctrl+C to stop.`);
} catch (error) {
  console.error(String(error));
  dev.kill('SIGTERM');
  process.exit(1);
}
