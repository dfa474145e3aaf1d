import { afterEach, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import './clientfolio.ts';
import type { ActionItem, ActionList } from '../schema/actions.ts';
import type { Reason } from '../schema/reasons.ts';
import { abcXyzResult, funnel, profile } from './shared/fixtures.ts';
import type { ClientTypeEntry } from './shared/profile.ts';

const TAGS = [
  'folio-stage-funnel',
  'folio-client-badge',
  'folio-clv-calculator',
  'folio-abc-xyz-matrix',
  'folio-client-card',
  'folio-action-list',
];

// One build for the whole file: it is the slow part.
const built = commands.buildBundle();

afterEach(() => document.body.replaceChildren());

/** Loads an HTML page in an iframe, so that its custom element registry is its own. */
async function page(html: string): Promise<Window> {
  const frame = document.createElement('iframe');
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.srcdoc = html;
  document.body.appendChild(frame);
  await loaded;
  return frame.contentWindow!;
}

describe('the one-file bundle dist/clientfolio.js', () => {
  test('is under the budget of 32 KiB min+gzip, and every entry point is measured', async () => {
    const { sizes, budget, entries } = await built;
    const whole = sizes.find((s) => s.name === 'clientfolio.js')!;
    expect(budget).toBe(32 * 1024);
    expect(whole.gzip).toBeLessThan(budget);
    expect(sizes.map((s) => s.name).sort()).toEqual(
      ['clientfolio.js', ...entries.map((e) => `standalone/${e}.js`)].sort(),
    );
    for (const entry of sizes) expect(entry.gzip).toBeLessThanOrEqual(whole.gzip);
  });

  test('carries Lit inside: a plain page with one script tag defines every tag, and a second copy is harmless', async () => {
    const { code } = await built;
    const [first, second] = [0, 1].map(() =>
      URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
    );
    const win = await page(`<!doctype html><html lang="ru"><body>
      <folio-clv-calculator></folio-clv-calculator>
      <script type="module" src="${first}"></script>
      <script type="module" src="${second}"></script>`);
    for (const tag of TAGS) expect(win.customElements.get(tag), tag).toBeDefined();
    const calculator = win.document.querySelector(
      'folio-clv-calculator',
    ) as HTMLElementTagNameMap['folio-clv-calculator'];
    await calculator.updateComplete;
    expect(calculator.shadowRoot!.querySelector('[part=headline]')!.textContent).toBe('637\u00a0$');
    expect(calculator.shadowRoot!.querySelector('label')!.textContent).toBe('Средний чек');
  });
});

// One sample answer of the API per component, for the comparison of bundle and source below.
const types: ClientTypeEntry[] = profile.types ?? [];

const reason = (why: Reason): ActionItem['reason'] => ({
  ...why,
  text: 'API text',
  rule: { code: 'rule_assign_manager', params: {} },
  signals: [],
});

const actions: ActionList = {
  asOf: '2025-03-13T10:00:00.000Z',
  currency: 'USD',
  total: 4,
  nextCursor: 'next',
  data: [
    {
      id: 'keep_cadence:2025-03-11:acme',
      kind: 'keep_cadence',
      clientId: 'acme',
      clientName: 'Acme',
      manager: 'anna',
      priority: 1,
      dueAt: '2025-03-11T09:00:00.000Z',
      openedAt: '2025-03-11T09:00:00.000Z',
      overdueDays: 2,
      canMarkDone: true,
      reason: reason({
        code: 'keep_cadence',
        params: { daysSinceContact: 12, lastContactAt: '2025-03-01T09:00:00.000Z', doneAt: null },
      }),
    },
    {
      id: 'respect_pause:2025-03-20:globex',
      kind: 'respect_pause',
      clientId: 'globex',
      clientName: 'Globex',
      manager: 'anna',
      priority: 1,
      dueAt: '2025-03-20T08:00:00.000Z',
      openedAt: '2025-03-06T08:00:00.000Z',
      overdueDays: 0,
      canMarkDone: true,
      reason: reason({
        code: 'respect_pause',
        params: {
          negativeContactAt: '2025-03-06T08:00:00.000Z',
          pauseEndsAt: '2025-03-20T08:00:00.000Z',
          daysLeft: 7,
        },
      }),
    },
    {
      id: 'rebalance_manager:2025-03-31:anna',
      kind: 'rebalance_manager',
      clientId: null,
      clientName: null,
      manager: 'anna',
      priority: 2,
      dueAt: '2025-03-31T00:00:00.000Z',
      openedAt: '2025-03-01T00:00:00.000Z',
      overdueDays: 0,
      canMarkDone: false,
      reason: reason({
        code: 'rebalance_manager',
        params: { manager: 'anna', keyClients: 4, maxKeyClients: 3, excess: 1 },
      }),
    },
    {
      id: 'wake_sleeping:2025-03-13:polar',
      kind: 'wake_sleeping',
      clientId: 'polar',
      clientName: 'Polar',
      manager: 'anna',
      priority: 3,
      dueAt: '2025-03-13T09:00:00.000Z',
      openedAt: '2025-03-13T09:00:00.000Z',
      overdueDays: 0,
      canMarkDone: true,
      reason: reason({
        code: 'dormant',
        params: {
          stage: 'sleeping',
          since: '2025-03-13T09:00:00.000Z',
          daysSinceLastPurchase: 125,
          orders: 3,
          revenue: 30,
          doneAt: null,
        },
      }),
    },
  ],
};

/** What each tag is given, in each state a page can put it in: data, nothing to show, an API that fails. */
const CASES: [tag: string, setup: Record<string, unknown>][] = [
  ['folio-stage-funnel', { data: funnel, showTable: true }],
  ['folio-stage-funnel', { data: { ...funnel, total: 0, stages: [] }, layout: 'horizontal' }],
  ['folio-abc-xyz-matrix', { data: abcXyzResult, selected: 'BY' }],
  ['folio-client-card', { data: profile }],
  ['folio-client-card', { apiBase: 'http://[', clientId: 'acme' }],
  ['folio-client-badge', { types }],
  ['folio-clv-calculator', { grossMargin: 2 }],
  ['folio-clv-calculator', { basis: 'retention', period: 'year' }],
  ['folio-action-list', { data: actions }],
  ['folio-action-list', { data: actions, groupBy: 'kind' }],
];

/** The rendered shadow tree without Lit's markers and with whitespace collapsed as HTML renders it, and its styles as the browser parsed them. */
function rendering(el: Element) {
  const shadow = el.shadowRoot!;
  return {
    html: shadow.innerHTML.replace(/<!--[^]*?-->/g, '').replace(/[ \t\r\n]+/g, ' '),
    css: shadow.adoptedStyleSheets.flatMap((sheet) =>
      [...sheet.cssRules].map((rule) => rule.cssText),
    ),
  };
}

async function render(win: Window, tag: string, setup: Record<string, unknown>, lang: string) {
  const el = win.document.createElement(tag) as HTMLElement & {
    updateComplete: Promise<unknown>;
    dataComplete?: Promise<unknown>;
  };
  el.setAttribute('lang', lang);
  Object.assign(el, setup);
  win.document.body.appendChild(el);
  await (el.dataComplete ?? el.updateComplete);
  const nested = el.shadowRoot!.querySelector('folio-client-badge') as {
    updateComplete: Promise<unknown>;
  } | null;
  await nested?.updateComplete;
  return el;
}

test('the bundle renders every component as its source does, markup and styles (its templates are minified)', async () => {
  const { code } = await built;
  const win = await page(
    `<!doctype html><script type="module" src="${URL.createObjectURL(new Blob([code], { type: 'text/javascript' }))}"></script>`,
  );
  await win.customElements.whenDefined('folio-action-list');
  for (const [tag, setup] of CASES) {
    for (const lang of ['en', 'ru']) {
      const [fromBundle, fromSource] = [
        await render(win, tag, setup, lang),
        await render(window, tag, setup, lang),
      ];
      expect(rendering(fromBundle), `${tag} ${JSON.stringify(Object.keys(setup))} ${lang}`).toEqual(
        rendering(fromSource),
      );
      expect(
        fromBundle.shadowRoot!.innerHTML.length,
        'the minified markup is shorter',
      ).toBeLessThan(fromSource.shadowRoot!.innerHTML.length);
    }
  }
  const badge = (el: Element) => rendering(el.shadowRoot!.querySelector('folio-client-badge')!);
  const cards = [
    await render(win, 'folio-client-card', { data: profile }, 'en'),
    await render(window, 'folio-client-card', { data: profile }, 'en'),
  ];
  expect(badge(cards[0]!)).toEqual(badge(cards[1]!));
});

test('every module imports where there is no DOM, without touching document or window', async () => {
  const { status, stdout, stderr } = await commands.importWithoutDom();
  expect(stderr).toBe('');
  expect(status).toBe(0);
  expect(JSON.parse(stdout)).toEqual({ document: 'undefined', window: 'undefined' });
});

test('the custom elements manifest lists only the product modules and describes every tag: attributes, events, parts and custom properties', async () => {
  const manifest = JSON.parse(await commands.analyzeManifest()) as {
    modules: {
      path: string;
      declarations?: Record<string, unknown>[];
      exports?: { kind: string; name: string }[];
    }[];
  };
  // The product's modules only: no tests, styles, test helpers or sample answers (fixtures.ts).
  expect(manifest.modules.map((m) => m.path).sort()).toEqual(
    [
      'components/clientfolio.ts',
      'components/index.ts',
      'components/abc-xyz-matrix/abc-xyz-matrix.ts',
      'components/abc-xyz-matrix/cells.ts',
      'components/abc-xyz-matrix/folio-abc-xyz-matrix.ts',
      'components/action-list/action-list.ts',
      'components/action-list/folio-action-list.ts',
      'components/action-list/groups.ts',
      'components/action-list/messages.ts',
      'components/client-badge/client-badge.ts',
      'components/client-badge/folio-client-badge.ts',
      'components/client-badge/icons.ts',
      'components/client-card/client-card.ts',
      'components/client-card/folio-client-card.ts',
      'components/clv-calculator/clv-calculator.ts',
      'components/clv-calculator/fields.ts',
      'components/clv-calculator/folio-clv-calculator.ts',
      'components/model-check/folio-model-check.ts',
      'components/model-check/model-check.ts',
      'components/cohort-triangle/cohort-triangle.ts',
      'components/cohort-triangle/folio-cohort-triangle.ts',
      'components/migration-matrix/folio-migration-matrix.ts',
      'components/migration-matrix/migration-matrix.ts',
      'components/shared/grid-keys.ts',
      'components/shared/api.ts',
      'components/shared/custom-properties.ts',
      'components/shared/data-element.ts',
      'components/shared/events.ts',
      'components/shared/folio-element.ts',
      'components/shared/format.ts',
      'components/shared/locale.ts',
      'components/shared/messages.ts',
      'components/shared/profile.ts',
      'components/shared/reasons.ts',
      'components/shared/styles.ts',
      'components/shared/view.ts',
      'components/stage-funnel/folio-stage-funnel.ts',
      'components/stage-funnel/stage-funnel.ts',
    ].sort(),
  );
  const defined = manifest.modules.flatMap((m) =>
    (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name),
  );
  expect(defined).toEqual(expect.arrayContaining(TAGS));
  const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
  const of = (tag: string) =>
    declarations.find((d) => d.tagName === tag) as {
      attributes: { name: string }[];
      events?: { name: string }[];
      cssParts: { name: string }[];
      cssProperties: { name: string }[];
      summary: string;
    };
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((x) => x.name);
  expect(names(of('folio-stage-funnel').events)).toEqual(['folio-stage-select']);
  expect(names(of('folio-abc-xyz-matrix').events)).toEqual(['folio-segment-select']);
  expect(names(of('folio-clv-calculator').events)).toEqual(['folio-clv-change']);
  expect(names(of('folio-clv-calculator').attributes)).toEqual(
    expect.arrayContaining([
      'average-order-value',
      'retention-rate',
      'target-ratio',
      'basis',
      'lang',
      'currency',
    ]),
  );
  expect(names(of('folio-client-card').attributes)).toEqual(
    expect.arrayContaining(['api-base', 'key', 'client-id']),
  );
  // Shipped standalone and on npm, not in the one-file bundle: described all the same.
  expect(names(of('folio-model-check').attributes)).toEqual(
    expect.arrayContaining(['api-base', 'key', 'end', 'show-table']),
  );
  expect(names(of('folio-cohort-triangle').events)).toEqual(['folio-cohort-select']);
  expect(names(of('folio-cohort-triangle').attributes)).toEqual(
    expect.arrayContaining(['api-base', 'key', 'period', 'from', 'to', 'measure', 'metric']),
  );
  expect(names(of('folio-migration-matrix').events)).toEqual(['folio-migration-select']);
  expect(names(of('folio-migration-matrix').attributes)).toEqual(
    expect.arrayContaining(['api-base', 'key', 'dimension', 'from', 'to']),
  );
  for (const tag of [
    ...TAGS,
    'folio-model-check',
    'folio-cohort-triangle',
    'folio-migration-matrix',
  ]) {
    expect(of(tag).summary, tag).toBeTruthy();
    expect(names(of(tag).cssParts), tag).toContain('base');
    expect(names(of(tag).cssProperties), tag).toContain('--folio-color-accent');
  }
});
