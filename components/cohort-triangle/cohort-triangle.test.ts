import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { cohortTriangle as data } from '../shared/fixtures.ts';
import { moveInGrid } from '../shared/grid-keys.ts';
import {
  cleanup,
  collect,
  expectAccessible,
  headerOf,
  json,
  mount,
  part,
  parts,
  problem,
  root,
  stubFetch,
  text,
} from '../shared/testing.ts';
import './folio-cohort-triangle.ts';

const cellAt = (el: Element, id: string) =>
  root(el).querySelector<HTMLElement>(`[data-cell="${id}"]`)!;
const rowsOf = (el: Element) =>
  [...root(el).querySelectorAll('[part=grid] tbody tr')].map((r) =>
    [...r.children].map((c) => text(c)),
  );

afterEach(cleanup);

describe('grid keys over a triangle', () => {
  const has = (r: number, c: number) => c < 3 - r;
  test.each([
    [[0, 0], 'ArrowRight', false, [0, 1]],
    [[0, 2], 'ArrowRight', false, [0, 2]],
    [[0, 2], 'ArrowDown', false, [0, 2]],
    [[1, 1], 'ArrowUp', false, [0, 1]],
    [[2, 0], 'End', false, [2, 0]],
    [[1, 0], 'End', false, [1, 1]],
    [[1, 1], 'Home', true, [0, 0]],
    [[0, 1], 'End', true, [2, 0]],
    [[0, 0], 'x', false, null],
  ] as const)('%j + %s (ctrl %s) → %j', (from, key, ctrl, to) => {
    expect(moveInGrid(from, key, ctrl, [3, 3], has)).toEqual(to);
  });
});

describe('<folio-cohort-triangle> from the data property', () => {
  test('shows one row per cohort with the share still buying in each later period, tinted by it', async () => {
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    expect(text(part(el, 'summary'))).toBe('3 cohorts, 85 clients');
    expect(rowsOf(el)).toEqual([
      ['Jan 202640 clients', '100%', '35%', '25%'],
      ['Feb 202625 clients', '100%', '36%', ''],
      ['Mar 202620 clients', '100%', '', ''],
    ]);
    expect(cellAt(el, '0:0').style.getPropertyValue('--level')).toBe('1');
    expect(cellAt(el, '0:2').style.getPropertyValue('--level')).toBe('0.25');
    expect(cellAt(el, '0:1').getAttribute('aria-label')).toBe(
      'Feb 2026: Still buying 14, 35%, Revenue $31.50',
    );
  });

  test('shows revenue per cohort client with metric="revenue"', async () => {
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data), {
      attrs: { metric: 'revenue' },
    });
    expect(rowsOf(el)[1]).toEqual(['Feb 202625 clients', '$98.00', '$22.40', '']);
    expect(cellAt(el, '0:0').style.getPropertyValue('--level')).toBe('1');
    expect(cellAt(el, '1:1').style.getPropertyValue('--level')).toBe(String(22.4 / 120));
  });

  test('carries a data table with every cell', async () => {
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    const rows = [...root(el).querySelectorAll('table[part=table] tbody tr')].map((r) =>
      [...r.children].map((c) => text(c)),
    );
    expect(rows).toHaveLength(6);
    expect(rows[1]).toEqual(['Jan 2026', '40', 'Feb 2026', '1', '14', '35%', '$31.50']);
  });

  test('speaks Russian, quarters included', async () => {
    const el = await mount(
      'folio-cohort-triangle',
      (e) =>
        (e.data = {
          ...data,
          period: 'quarter',
          cohorts: [
            {
              cohort: '2026-Q1',
              clients: 2,
              periods: [{ offset: 0, period: '2026-Q1', active: 2, share: 1, revenue: 10 }],
            },
          ],
        }),
      { lang: 'ru' },
    );
    expect(text(part(el, 'summary'))).toBe('Когорт: 1, 2 клиента');
    expect(rowsOf(el)).toEqual([['1 кв. 20262 клиента', '100\u00a0%']]);
    expect(text(root(el).querySelector('[part=grid] thead'))).toBe('Когорта Квартал 0');
  });

  test('shows the empty state when no cohort has clients', async () => {
    const el = await mount('folio-cohort-triangle', (e) => (e.data = { ...data, cohorts: [] }));
    expect(text(part(el, 'empty'))).toBe('No clients bought in these periods.');
    expect(part(el, 'grid')).toBeNull();
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    await expectAccessible(el);
  });
});

describe('<folio-cohort-triangle> from the API', () => {
  test('fetches GET /v1/cohorts with its query and the key', async () => {
    const spy = stubFetch(() => json(data));
    const el = await mount('folio-cohort-triangle', undefined, {
      attrs: { 'api-base': 'https://api.test/', key: 'pk_x', period: 'month', from: '2026-01' },
    });
    await el.dataComplete;
    expect(spy.mock.calls[0]![0]).toBe('https://api.test/v1/cohorts?period=month&from=2026-01');
    expect(headerOf(spy.mock.calls[0]![1], 'authorization')).toBe('Bearer pk_x');
    expect(parts(el, 'cell')).toHaveLength(6);
  });

  test("shows the API's problem detail", async () => {
    stubFetch(() => problem(400, 'Invalid query', 'from: must be a month (YYYY-MM)'));
    const el = await mount('folio-cohort-triangle', undefined, {
      attrs: { 'api-base': 'https://api.test', key: 'pk_x' },
    });
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe(
      'Could not load the data. from: must be a month (YYYY-MM)',
    );
  });
});

describe('<folio-cohort-triangle> events and keyboard', () => {
  test('a click emits folio-cohort-select with the figures of the cell', async () => {
    const seen = collect('folio-cohort-select');
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    await userEvent.click(cellAt(el, '1:1'));
    expect(seen.map((e) => e.detail)).toEqual([
      { cohort: '2026-02', offset: 1, period: '2026-03', active: 9, share: 9 / 25, revenue: 22.4 },
    ]);
    expect(seen[0]!.bubbles && seen[0]!.composed).toBe(true);
    await el.updateComplete;
    expect(el.getAttribute('selected')).toBe('2026-02:1');
    expect(cellAt(el, '1:1').getAttribute('aria-selected')).toBe('true');
  });

  test('one Tab stop; arrows stay inside the triangle; Enter and Space select', async () => {
    const seen = collect('folio-cohort-select');
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    expect(parts(el, 'cell').filter((c) => c.tabIndex === 0)).toEqual([cellAt(el, '0:0')]);
    await userEvent.tab();
    await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowDown}');
    // Row 1 has no third cell: the focus stays where it was.
    expect(root(el).activeElement).toBe(cellAt(el, '0:2'));
    await userEvent.keyboard('{ArrowLeft}{ArrowDown}{Enter}{End} ');
    expect(seen.map((e) => `${e.detail.cohort}:${e.detail.offset}`)).toEqual([
      '2026-02:1',
      '2026-02:1',
    ]);
    await userEvent.keyboard('{Control>}{Home}{/Control}');
    expect(root(el).activeElement).toBe(cellAt(el, '0:0'));
  });

  test('is not emitted by programmatic changes', async () => {
    const seen = collect('folio-cohort-select');
    const el = await mount('folio-cohort-triangle', (e) => (e.data = data));
    el.selected = '2026-01:1';
    el.data = { ...data };
    await el.updateComplete;
    expect(cellAt(el, '0:1').getAttribute('aria-selected')).toBe('true');
    expect(seen).toEqual([]);
  });
});
