import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

interface BuildResult {
  sizes: { name: string; minified: number; gzip: number }[];
  files: Map<string, Uint8Array>;
}
interface BuildModule {
  buildComponents(options: { write: boolean }): Promise<BuildResult>;
  BUDGET_BYTES: number;
  ENTRIES: Record<string, string>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** The policy of a strict intranet page (issue 14), which the components must live under. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";

/**
 * A page on its own origin, sent with the strict policy as a header: test/csp/ (page, probe
 * script, stylesheet), the one-file bundle and the standalone-only components built in memory. Listens on a free port of
 * 127.0.0.1; `stop` closes it.
 */
async function startStrictCspServer(): Promise<Server> {
  const build = (await import(
    new URL('./scripts/build-components.mjs', import.meta.url).href
  )) as BuildModule;
  const { files } = await build.buildComponents({ write: false });
  const assets: Record<string, [type: string, body: string | Uint8Array]> = {
    '/': ['text/html', readFileSync(here('test/csp/page.html'), 'utf8')],
    '/probe.js': ['text/javascript', readFileSync(here('test/csp/probe.js'), 'utf8')],
    '/page.css': ['text/css', readFileSync(here('test/csp/page.css'), 'utf8')],
    '/clientfolio.js': ['text/javascript', files.get('clientfolio.js')!],
    // Components shipped standalone only (not in the one-file bundle) load their own file.
    ...Object.fromEntries(
      ['folio-cohort-triangle', 'folio-migration-matrix'].map((name) => [
        `/${name}.js`,
        ['text/javascript', files.get(`standalone/${name}.js`)!] as [string, Uint8Array],
      ]),
    ),
  };
  const server = createServer((req, res) => {
    const asset = assets[new URL(req.url ?? '/', 'http://x').pathname];
    if (!asset) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': asset[0], 'content-security-policy': STRICT_CSP })
      .end(asset[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
let strictCspServer: Server | null = null;

// The components in real Chromium (Debian's, never a downloaded one), plus commands that tests
// run on the Node side: build the bundle in memory, generate the custom elements manifest, import
// the modules in a plain Node process where there is no DOM, and emulate prefers-reduced-motion.
export default defineConfig({
  // Pre-bundled up front: discovering them mid-run would make Vite reload the page.
  optimizeDeps: { include: ['lit', 'axe-core', 'react', 'react-dom', 'react-dom/client'] },
  test: {
    name: 'components',
    include: ['components/**/*.test.ts', 'test/react/**/*.test.ts'],
    attachmentsDir: 'test/.tmp/vitest-attachments',
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      commands: {
        async buildBundle() {
          const build = (await import(
            new URL('./scripts/build-components.mjs', import.meta.url).href
          )) as BuildModule;
          const { sizes, files } = await build.buildComponents({ write: false });
          return {
            sizes,
            budget: build.BUDGET_BYTES,
            entries: Object.keys(build.ENTRIES),
            code: new TextDecoder().decode(files.get('clientfolio.js')),
          };
        },
        analyzeManifest() {
          // Into a folder of its own, so that a test run never rewrites dist/ under someone's build.
          const outdir = `test/.tmp/cem-${process.pid}`;
          const r = spawnSync(
            process.execPath,
            [
              here('node_modules/@custom-elements-manifest/analyzer/cem.js'),
              'analyze',
              '--outdir',
              outdir,
            ],
            { cwd: here('.'), encoding: 'utf8' },
          );
          try {
            if (r.status !== 0) throw new Error(r.stderr);
            return readFileSync(here(`${outdir}/custom-elements.json`), 'utf8');
          } finally {
            rmSync(here(outdir), { recursive: true, force: true });
          }
        },
        async strictCspPage(_ctx, action: 'start' | 'stop') {
          if (action === 'stop') {
            // The iframe's keep-alive connection would hold close() open.
            strictCspServer?.closeAllConnections();
            await new Promise((resolve) => strictCspServer?.close(resolve) ?? resolve(null));
            strictCspServer = null;
            return null;
          }
          strictCspServer ??= await startStrictCspServer();
          return `http://127.0.0.1:${(strictCspServer.address() as AddressInfo).port}/`;
        },
        // Playwright's media emulation, for the prefers-reduced-motion styles.
        async reduceMotion({ page }, reduce: boolean) {
          await page.emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' });
        },
        importWithoutDom() {
          const modules = [
            'components/index.ts',
            'components/clientfolio.ts',
            'components/stage-funnel/folio-stage-funnel.ts',
            'components/client-card/folio-client-card.ts',
          ];
          const script = `for (const m of ${JSON.stringify(modules.map((m) => new URL(m, import.meta.url).href))}) await import(m);
            console.log(JSON.stringify({ document: typeof document, window: typeof window }));`;
          // A fresh Node process (the one running the tests has Vite's globals around it).
          const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
            cwd: here('.'),
            encoding: 'utf8',
          });
          return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
        },
      },
    },
  },
});
