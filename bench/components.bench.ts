// Components: the size of the one-file bundle and of each entry point (minified, then gzipped),
// and the first render of the funnel and the ABC-XYZ matrix with 10,000-client data in headless
// Chromium. Measures, asserts nothing. Run: PATH=$PWD/node_modules/.bin:$PATH node bench/components.bench.ts
// (or npm run bench components). Chromium's timer is coarsened to 0.1 ms on a page that is not
// cross-origin isolated, which is the resolution of the render times.
import { chromium } from 'playwright';
import type { Funnel } from '../schema/lifecycle.ts';
import type { AbcXyzResult } from '../schema/segments.ts';

interface BuildModule {
  buildComponents: (options: { write: boolean }) => Promise<{
    sizes: { name: string; minified: number; gzip: number }[];
    files: Map<string, Uint8Array>;
  }>;
  BUDGET_BYTES: number;
}

const CLIENTS = 10_000;
const WARMUP = 3;
const RUNS = 15;

const { buildComponents, BUDGET_BYTES } = (await import(
  new URL('../scripts/build-components.mjs', import.meta.url).href
)) as BuildModule;
const { sizes, files } = await buildComponents({ write: false });
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

console.log(
  `Bundle sizes (esbuild --minify, gzip -9; budget for clientfolio.js: ${kb(BUDGET_BYTES)} min+gzip)\n`,
);
console.log('| file | minified | min+gzip |\n|---|---:|---:|');
for (const s of sizes) console.log(`| ${s.name} | ${kb(s.minified)} | ${kb(s.gzip)} |`);

/** A deterministic 10,000-client portfolio: the funnel's answer and the ABC-XYZ answer. */
function data() {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const stages = ['prospect', 'potential', 'developing', 'developed', 'sleeping', 'lost'] as const;
  const counts = [2600, 1900, 1800, 1700, 1200, 800];
  const funnel: Funnel = {
    model: 'portfolio',
    asOf: '2026-11-01T00:00:00.000Z',
    from: '2026-10-01T00:00:00.000Z',
    to: '2026-11-01T00:00:00.000Z',
    total: CLIENTS,
    stages: stages.map((stage, i) => ({
      stage,
      label: stage,
      count: counts[i]!,
      entered: Math.round(counts[i]! / 12),
      reached: CLIENTS - i * 1200,
      conversionToNext: i < 3 ? 0.4 + random() / 2 : null,
      cumulativeConversion: 1 - i / 6,
      medianDays: 10 + i * 30,
      cumulativeMedianDays: i * 40,
    })),
  };
  const revenues = Array.from({ length: CLIENTS }, () =>
    Math.round(100 * Math.exp(random() * 8)),
  ).sort((a, b) => b - a);
  const total = revenues.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const clients = revenues.map((revenue, i): AbcXyzResult['clients'][number] => {
    cumulative += revenue / total;
    const cv = random();
    return {
      id: `c${String(i + 1).padStart(5, '0')}`,
      rank: i + 1,
      abc:
        cumulative - revenue / total < 0.8 ? 'A' : cumulative - revenue / total < 0.95 ? 'B' : 'C',
      xyz: cv <= 0.1 ? 'X' : cv <= 0.25 ? 'Y' : 'Z',
      value: revenue,
      revenue,
      margin: revenue / 4,
      share: revenue / total,
      cumulativeShare: cumulative,
      cv,
    };
  });
  const names = ['AX', 'AY', 'AZ', 'BX', 'BY', 'BZ', 'CX', 'CY', 'CZ'] as const;
  const cells = Object.fromEntries(
    names.map((n) => [n, { count: 0, revenue: 0, margin: 0, value: 0, share: 0 }]),
  ) as AbcXyzResult['cells'];
  for (const c of clients) {
    const cell = cells[`${c.abc}${c.xyz}`];
    cell.count++;
    cell.revenue += c.revenue;
  }
  const matrix = Object.fromEntries(
    names.map((n) => [n, cells[n].count]),
  ) as AbcXyzResult['matrix'];
  const abcXyz: AbcXyzResult = {
    from: '2025-11-01T00:00:00.000Z',
    to: '2026-11-01T00:00:00.000Z',
    period: 'month',
    periods: 12,
    measure: 'revenue',
    total,
    excluded: 0,
    thresholds: { a: 0.8, b: 0.95, x: 0.1, y: 0.25 },
    clients,
    matrix,
    cells,
  };
  return { funnel, abcXyz, matrixWithoutCells: { ...abcXyz, cells: undefined } };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
/**
 * The little of the page's DOM that the callbacks below use: they run in Chromium, while this file
 * is type-checked as Node code (no DOM library).
 */
interface Page {
  customElements: { get(name: string): unknown };
  benchData: Record<string, unknown>;
  document: {
    body: { appendChild(el: unknown): void };
    createElement(tag: string): {
      data: unknown;
      updateComplete: Promise<boolean>;
      setAttribute(name: string, value: string): void;
      shadowRoot: { firstElementChild: { getBoundingClientRect(): unknown } | null } | null;
      remove(): void;
    };
  };
}

try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html lang="en"><body></body></html>');
  await page.addScriptTag({
    type: 'module',
    content: new TextDecoder().decode(files.get('clientfolio.js')),
  });
  await page.waitForFunction(
    () => (globalThis as unknown as Page).customElements.get('folio-abc-xyz-matrix') !== undefined,
  );

  const cases = [
    ['folio-stage-funnel', 'funnel (6 stages, 10,000 clients)', 'funnel'],
    ['folio-stage-funnel', 'funnel, layout="horizontal"', 'funnel'],
    ['folio-abc-xyz-matrix', 'ABC-XYZ matrix, API answer with cells', 'abcXyz'],
    [
      'folio-abc-xyz-matrix',
      'ABC-XYZ matrix, cells summed from 10,000 clients',
      'matrixWithoutCells',
    ],
  ] as const;
  await page.evaluate((d) => Object.assign(globalThis, { benchData: d }), data());

  console.log(
    `\nFirst render in headless Chromium, median of ${RUNS} runs after ${WARMUP} warm-up runs:`,
  );
  console.log(
    'create the element, attach it, set `data`, await `updateComplete` (then also force style and layout)\n',
  );
  console.log('| case | to updateComplete | with layout |\n|---|---:|---:|');
  for (const [tag, name, key] of cases) {
    const times = await page.evaluate(
      async ({ tag, key, runs, horizontal }) => {
        const { document, benchData } = globalThis as unknown as Page;
        const source = benchData[key];
        const rendered: number[] = [];
        const laidOut: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          const el = document.createElement(tag);
          if (horizontal) el.setAttribute('layout', 'horizontal');
          document.body.appendChild(el);
          el.data = source;
          await el.updateComplete;
          const t1 = performance.now();
          void el.shadowRoot!.firstElementChild!.getBoundingClientRect();
          const t2 = performance.now();
          rendered.push(t1 - t0);
          laidOut.push(t2 - t0);
          el.remove();
        }
        return { rendered, laidOut };
      },
      { tag, key, runs: WARMUP + RUNS, horizontal: name.includes('horizontal') },
    );
    const median = (xs: number[]) => {
      const s = xs.slice(WARMUP).sort((a, b) => a - b);
      return s[Math.floor(s.length / 2)]!;
    };
    console.log(
      `| ${name} | ${median(times.rendered).toFixed(2)} ms | ${median(times.laidOut).toFixed(2)} ms |`,
    );
  }
} finally {
  await browser.close();
}
