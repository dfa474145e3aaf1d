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
import ts from 'typescript';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every component's define module, by the name of its output file. */
export const ENTRIES = {
  'folio-stage-funnel': 'components/stage-funnel/folio-stage-funnel.ts',
  'folio-client-badge': 'components/client-badge/folio-client-badge.ts',
  'folio-clv-calculator': 'components/clv-calculator/folio-clv-calculator.ts',
  'folio-abc-xyz-matrix': 'components/abc-xyz-matrix/folio-abc-xyz-matrix.ts',
  'folio-client-card': 'components/client-card/folio-client-card.ts',
  'folio-action-list': 'components/action-list/folio-action-list.ts',
  // Standalone and npm only, not in dist/clientfolio.js: the one-file bundle has no room left in
  // its 25 KB budget for the model checks' charts.
  'folio-model-check': 'components/model-check/folio-model-check.ts',
  // Likewise standalone and npm only (issue 12): the retention triangle and the migration matrix.
  'folio-cohort-triangle': 'components/cohort-triangle/folio-cohort-triangle.ts',
  'folio-migration-matrix': 'components/migration-matrix/folio-migration-matrix.ts',
};

/**
 * The budget of the whole standalone bundle, minified and gzipped. 25 KiB until the components
 * rendered reasons themselves (issue 14): the English and Russian message tables of every reason
 * code, shared with the API, are 7.0 KiB gzipped on their own and the bundle went from 25,323 to
 * 31,835 bytes, so the budget is 32 KiB.
 */
export const BUDGET_BYTES = 32 * 1024;

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
      contents: (await readFile(args.path, 'utf8')).replace(
        /(?<![\w.$])v\.(\w+)\(/g,
        '/* @__PURE__ */ v.$1(',
      ),
      loader: 'ts',
    }));
  },
};

/**
 * Lit keeps a template's text as written, source indentation included. In the minified bundles a
 * run of whitespace holding a line break in an `html` or `svg` template becomes one space, which
 * renders the same (HTML collapses it so; a template with <pre> or <textarea> is left alone), and
 * a `css` template loses the whitespace CSS ignores. Templates are found with the TypeScript
 * parser, so text that only looks like one (in a string or a comment) is never touched.
 */
const minifyTemplates = {
  name: 'minify-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]components[\\/].*\.ts$/ }, async (args) => ({
      contents: minifyTemplateText(await readFile(args.path, 'utf8'), args.path),
      loader: 'ts',
    }));
  },
};

const LINE_BREAK_RUN = /[ \t\r]*\n[ \t\r\n]*/g;
const KEEPS_WHITESPACE = /<(pre|textarea)\b/i;

export function minifyTemplateText(source, file = 'module.ts') {
  const sourceFile = ts.createSourceFile(
    file,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const edits = [];
  const visit = (node) => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      ['html', 'svg', 'css'].includes(node.tag.text)
    ) {
      const template = node.template;
      const literals = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template]
        : [template.head, ...template.templateSpans.map((s) => s.literal)];
      // The text between the delimiters: ` or } before it, ${ or ` after it.
      const spans = literals.map((l) => {
        const start = l.getStart(sourceFile) + 1;
        const end =
          l.end -
          (l.kind === ts.SyntaxKind.TemplateHead || l.kind === ts.SyntaxKind.TemplateMiddle
            ? 2
            : 1);
        return { start, end, text: source.slice(start, end) };
      });
      if (node.tag.text === 'css') {
        // Whole rules are only known without substitutions; with them, only runs are collapsed.
        const whole = spans.length === 1;
        for (const s of spans)
          edits.push({
            ...s,
            text: whole ? minifyCss(s.text) : s.text.replace(/[ \t\r\n]+/g, ' '),
          });
      } else if (!spans.some((s) => KEEPS_WHITESPACE.test(s.text))) {
        for (const s of spans) edits.push({ ...s, text: s.text.replace(LINE_BREAK_RUN, ' ') });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  let out = source;
  for (const e of edits.sort((x, y) => y.start - x.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * Drops comments and the whitespace around braces and semicolons, before commas and after colons.
 * The space after a comma stays: in a `var()` fallback it is part of the value. Quoted strings stay
 * as they are.
 */
function minifyCss(text) {
  return text
    .split(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/)
    .map((piece, i) =>
      i % 2
        ? piece
        : piece
            .replace(/\/\*[^]*?\*\//g, '')
            .replace(/[ \t\r\n]+/g, ' ')
            .replace(/ ?([{};]) ?/g, '$1')
            .replace(/ ,/g, ',')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('')
    .trim();
}

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
      // Lit's licence notices go beside each bundle (clientfolio.js.LEGAL.txt), not inside it.
      legalComments: 'external',
      plugins: [pureValibot, minifyTemplates],
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
      entryPoints: {
        index: 'components/index.ts',
        clientfolio: 'components/clientfolio.ts',
        ...ENTRIES,
      },
    }),
  ]);
  const files = new Map();
  for (const file of [...standalone.outputFiles, ...npm.outputFiles])
    files.set(path.relative(out, file.path), file.contents);
  const sizes = standalone.outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => ({
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
  for (const s of sizes)
    console.log(
      `${s.name.padEnd(36)} ${String(s.minified).padStart(7)} B min  ${String(s.gzip).padStart(6)} B min+gzip`,
    );
  const whole = sizes.find((s) => s.name === 'clientfolio.js');
  if (whole && whole.gzip > BUDGET_BYTES) {
    console.error(`clientfolio.js is ${whole.gzip} B min+gzip, over the ${BUDGET_BYTES} B budget`);
    process.exitCode = 1;
  }
}
