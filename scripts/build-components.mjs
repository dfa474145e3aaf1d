// Builds the web components, both ways they are consumed:
// - no build step: dist/clientfolio.js, one minified ES module with Lit inside, for a single
//   <script type="module">; and dist/standalone/folio-*.js, each component alone, so that the
//   size of every entry point can be reported;
// - npm: dist/npm/*.js, one define module per component plus a side-effect-free index, with Lit
//   and valibot left as imports (they are dependencies) and shared code split into chunks.
// `node scripts/build-components.mjs` writes them and prints the sizes; tests and benchmarks
// import `buildComponents` and may keep the output in memory.
import * as esbuild from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every component's define module, by the name of its output file. */
export const ENTRIES = {
  'folio-stage-funnel': 'components/stage-funnel/folio-stage-funnel.ts',
  'folio-client-badge': 'components/client-badge/folio-client-badge.ts',
  'folio-clv-calculator': 'components/clv-calculator/folio-clv-calculator.ts',
  'folio-abc-xyz-matrix': 'components/abc-xyz-matrix/folio-abc-xyz-matrix.ts',
  'folio-client-card': 'components/client-card/folio-client-card.ts',
  'folio-action-list': 'components/action-list/folio-action-list.ts',
};

/** The budget of the whole standalone bundle, minified and gzipped. */
export const BUDGET_BYTES = 25 * 1024;

/**
 * valibot marks its functions `@__NO_SIDE_EFFECTS__`, but esbuild does not carry that mark across
 * modules, so every schema in a shared schema file would land in the bundle although the
 * components use one. Restating the mark at each `v.…(` call of our own schema and core files
 * lets tree-shaking drop the unused ones; it changes nothing else.
 */
const pureValibot = {
  name: 'pure-valibot',
  setup(build) {
    build.onLoad({ filter: /[\\/](schema|core)[\\/].*\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace(/(?<![\w.$])v\.(\w+)\(/g, '/* @__PURE__ */ v.$1('),
      loader: 'ts',
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  // Module scripts are always decoded as UTF-8, so text can stay as it is: escaping every Cyrillic
  // letter as \uXXXX would take six bytes instead of two.
  charset: 'utf8',
  logLevel: 'silent',
};

/**
 * Builds everything for `outdir` (relative to the repository) and measures the standalone
 * bundles; `files` holds the output by path relative to `outdir`. With `write: false` nothing
 * touches the disk, so tests can build while others use dist/.
 */
export async function buildComponents({ outdir = 'dist', write = true } = {}) {
  const out = path.join(root, outdir);
  const [standalone, npm] = await Promise.all([
    esbuild.build({
      ...common,
      write: false,
      outdir: out,
      minify: true,
      plugins: [pureValibot],
      entryPoints: [
        { in: 'components/clientfolio.ts', out: 'clientfolio' },
        ...Object.entries(ENTRIES).map(([name, file]) => ({ in: file, out: `standalone/${name}` })),
      ],
    }),
    esbuild.build({
      ...common,
      write: false,
      outdir: path.join(out, 'npm'),
      splitting: true,
      packages: 'external',
      chunkNames: 'chunks/[name]-[hash]',
      entryPoints: { index: 'components/index.ts', clientfolio: 'components/clientfolio.ts', ...ENTRIES },
    }),
  ]);
  const files = new Map();
  for (const file of [...standalone.outputFiles, ...npm.outputFiles]) files.set(path.relative(out, file.path), file.contents);
  const sizes = standalone.outputFiles.map((file) => ({
    name: path.relative(out, file.path),
    minified: file.contents.length,
    gzip: gzipSync(file.contents, { level: 9 }).length,
  }));
  if (write) {
    for (const [name, contents] of files) {
      await mkdir(path.dirname(path.join(out, name)), { recursive: true });
      await writeFile(path.join(out, name), contents);
    }
  }
  return { sizes, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { sizes } = await buildComponents();
  for (const s of sizes) console.log(`${s.name.padEnd(36)} ${String(s.minified).padStart(7)} B min  ${String(s.gzip).padStart(6)} B min+gzip`);
  const whole = sizes.find((s) => s.name === 'clientfolio.js');
  if (whole && whole.gzip > BUDGET_BYTES) {
    console.error(`clientfolio.js is ${whole.gzip} B min+gzip, over the ${BUDGET_BYTES} B budget`);
    process.exitCode = 1;
  }
}
