import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { AbcXyzResult } from '../../schema/segments.ts';
import {
  cleanup,
  collect,
  deferred,
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
import { cellFigures, moveFrom } from './cells.ts';
import { abcXyzResult as result, cell } from '../shared/fixtures.ts';
import './folio-abc-xyz-matrix.ts';

const cellAt = (el: Element, name: string) =>
  root(el).querySelector<HTMLElement>(`[data-cell=${name}]`)!;

afterEach(cleanup);

describe('cell figures', () => {
  test.each([
    ['from cells', result],
    ['summed from clients when cells are absent', { ...result, cells: undefined }],
    [
      'summed from clients when cells and matrix are absent',
      { ...result, cells: undefined, matrix: undefined },
    ],
  ])('%s', (_, data) => {
    const figures = cellFigures(data);
    expect(figures.AX).toEqual({
      count: 2,
      revenue: 800_000,
      countShare: 2 / 6,
      revenueShare: 0.8,
    });
    expect(figures.CZ).toEqual({
      count: 2,
      revenue: 20_000,
      countShare: 2 / 6,
      revenueShare: 0.02,
    });
    expect(figures.AY).toEqual({ count: 0, revenue: 0, countShare: 0, revenueShare: 0 });
  });

  test.each([
    ['AX', 'ArrowRight', false, 'AY'],
    ['AZ', 'ArrowRight', false, 'AZ'],
    ['AX', 'ArrowUp', false, 'AX'],
    ['AY', 'ArrowDown', false, 'BY'],
    ['CY', 'ArrowDown', false, 'CY'],
    ['BZ', 'ArrowLeft', false, 'BY'],
    ['BY', 'Home', false, 'BX'],
    ['BY', 'End', false, 'BZ'],
    ['BY', 'Home', true, 'AX'],
    ['BY', 'End', true, 'CZ'],
    ['BY', 'a', false, null],
  ] as const)('%s + %s (ctrl %s) → %s', (from, key, ctrl, to) => {
    expect(moveFrom(from, key, ctrl)).toBe(to);
  });
});

describe('<folio-abc-xyz-matrix> from the data property', () => {
  test('shows the nine cells with count, revenue and share of revenue, tinted by revenue', async () => {
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    expect(parts(el, 'cell').map((c) => c.dataset.cell)).toEqual([
      'AX',
      'AY',
      'AZ',
      'BX',
      'BY',
      'BZ',
      'CX',
      'CY',
      'CZ',
    ]);
    expect(text(cellAt(el, 'AX'))).toBe('Clients: 2 Revenue: $800K Share of revenue: 80%');
    expect(text(cellAt(el, 'BY'))).toBe('Clients: 1 Revenue: $30K Share of revenue: 3%');
    expect(cellAt(el, 'AX').style.getPropertyValue('--level')).toBe('1');
    expect(cellAt(el, 'AY').style.getPropertyValue('--level')).toBe('0');
    expect(text(part(el, 'summary'))).toBe('6 clients, revenue $1,000,000');
    const headers = [...root(el).querySelectorAll('[part=grid] th')].map((th) => text(th));
    expect(headers).toEqual([
      'Xstable',
      'Yvariable',
      'Zirregular',
      'Atop 80% of revenue',
      'Bnext 15%',
      'Clast 5%',
    ]);
  });

  test('computes the cells from the client list when the answer has none', async () => {
    const el = await mount(
      'folio-abc-xyz-matrix',
      (e) => (e.data = { ...result, cells: undefined }),
    );
    expect(text(cellAt(el, 'CZ'))).toBe('Clients: 2 Revenue: $20K Share of revenue: 2%');
  });

  test('carries a data table with the same numbers', async () => {
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    const rows = [...root(el).querySelectorAll('table[part=table] tbody tr')].map((r) =>
      [...r.children].map((c) => text(c)),
    );
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual(['AX', '2', '33.3%', '$800,000', '80%']);
    expect(rows[8]).toEqual(['CZ', '2', '33.3%', '$20,000', '2%']);
  });

  test('speaks Russian and formats money in the currency of the data or the currency attribute', async () => {
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result), {
      lang: 'ru',
      attrs: { currency: 'RUB' },
    });
    expect(text(cellAt(el, 'AX'))).toBe(
      'Клиенты: 2 Выручка: 800\u00a0тыс.\u00a0₽ Доля выручки: 80\u00a0%',
    );
    expect(text(part(el, 'summary'))).toBe('6 клиентов, выручка 1\u00a0000\u00a0000\u00a0₽');
    el.data = { ...result, currency: 'EUR' } as typeof result;
    await el.updateComplete;
    expect(text(part(el, 'summary'))).toBe('6 клиентов, выручка 1\u00a0000\u00a0000\u00a0€');
  });

  test('shows the empty state when no client has revenue', async () => {
    const none = Object.fromEntries(
      Object.keys(result.cells).map((c) => [c, cell(0, 0)]),
    ) as AbcXyzResult['cells'];
    const zeros = Object.fromEntries(
      Object.keys(result.matrix).map((c) => [c, 0]),
    ) as AbcXyzResult['matrix'];
    const el = await mount(
      'folio-abc-xyz-matrix',
      (e) => (e.data = { ...result, clients: [], total: 0, cells: none, matrix: zeros }),
    );
    expect(text(part(el, 'empty'))).toBe('No clients with revenue in this period.');
    expect(part(el, 'grid')).toBeNull();
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    await expectAccessible(el);
  });
});

describe('<folio-abc-xyz-matrix> events and keyboard', () => {
  test('a click on a cell emits folio-segment-select with the classes and figures of the cell', async () => {
    const seen = collect('folio-segment-select');
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    await userEvent.click(cellAt(el, 'AZ'));
    expect(seen.map((e) => e.detail)).toEqual([
      { abc: 'A', xyz: 'Z', cell: 'AZ', count: 1, revenue: 150_000 },
    ]);
    expect(seen[0]!.bubbles && seen[0]!.composed).toBe(true);
    await el.updateComplete;
    expect(el.getAttribute('selected')).toBe('AZ');
    expect(cellAt(el, 'AZ').getAttribute('aria-selected')).toBe('true');
  });

  test('one Tab stop; arrows move the focus across the grid; Enter and Space select', async () => {
    const seen = collect('folio-segment-select');
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    expect(
      parts(el, 'cell')
        .filter((c) => c.tabIndex === 0)
        .map((c) => c.dataset.cell),
    ).toEqual(['AX']);
    await userEvent.tab();
    expect(root(el).activeElement).toBe(cellAt(el, 'AX'));
    await userEvent.keyboard('{ArrowRight}{ArrowDown}');
    expect(root(el).activeElement).toBe(cellAt(el, 'BY'));
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard('{ArrowDown}{ArrowRight}{ArrowRight} ');
    expect(seen.map((e) => e.detail.cell)).toEqual(['BY', 'CZ']);
    await el.updateComplete;
    expect(
      parts(el, 'cell')
        .filter((c) => c.tabIndex === 0)
        .map((c) => c.dataset.cell),
    ).toEqual(['CZ']);
  });

  test('is not emitted by programmatic changes', async () => {
    const seen = collect('folio-segment-select');
    const el = await mount('folio-abc-xyz-matrix', (e) => (e.data = result));
    el.selected = 'BY';
    el.data = { ...result };
    await el.updateComplete;
    expect(cellAt(el, 'BY').getAttribute('aria-selected')).toBe('true');
    expect(seen).toEqual([]);
  });
});

describe('<folio-abc-xyz-matrix> from the API', () => {
  const attrs = {
    'api-base': 'https://api.test',
    key: 'pk_test_m',
    from: '2024-01-01',
    to: '2025-01-01',
    measure: 'margin',
  };

  test('fetches the analysis with its query and the bearer key', async () => {
    const fetch = stubFetch(() => json(result));
    const el = await mount('folio-abc-xyz-matrix', undefined, { attrs });
    await el.dataComplete;
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(
      'https://api.test/v1/segments/abc-xyz?from=2024-01-01&to=2025-01-01&measure=margin',
    );
    expect(headerOf(init, 'authorization')).toBe('Bearer pk_test_m');
    expect(parts(el, 'cell')).toHaveLength(9);
  });

  test('loading, then the problem detail of a 400', async () => {
    const answer = deferred<Response>();
    stubFetch(() => answer.promise);
    const el = await mount('folio-abc-xyz-matrix', undefined, { attrs });
    expect(part(el, 'loading')).not.toBeNull();
    answer.resolve(problem(400, 'Invalid query', 'to: must be after from'));
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe('Could not load the data. to: must be after from');
  });

  test('the data property wins, and a fetch abandoned by disconnecting never renders', async () => {
    const fetch = stubFetch(() => json(result));
    await mount('folio-abc-xyz-matrix', (e) => (e.data = result), { attrs });
    expect(fetch).not.toHaveBeenCalled();

    const answer = deferred<Response>();
    fetch.mockImplementation(() => answer.promise);
    const el = await mount('folio-abc-xyz-matrix', undefined, { attrs });
    el.remove();
    expect(fetch.mock.calls[0]![1]!.signal!.aborted).toBe(true);
    answer.resolve(json(result));
    await el.dataComplete;
    expect(part(el, 'grid')).toBeNull();
  });
});
