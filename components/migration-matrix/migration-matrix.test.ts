import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { migrationMatrix as data, withLists } from '../shared/fixtures.ts';
import {
  cleanup,
  collect,
  expectAccessible,
  headerOf,
  json,
  mount,
  part,
  parts,
  root,
  stubFetch,
  text,
} from '../shared/testing.ts';
import './folio-migration-matrix.ts';

const cellAt = (el: Element, id: string) =>
  root(el).querySelector<HTMLElement>(`[data-cell="${id}"]`)!;
const headers = (el: Element) =>
  [...root(el).querySelectorAll('[part=grid] th')].map((th) => text(th));

afterEach(cleanup);

describe('<folio-migration-matrix> from the data property', () => {
  test('rows are where clients were, columns where they are; new clients on top, erased ones last', async () => {
    const el = await mount('folio-migration-matrix', (e) => (e.data = data));
    expect(headers(el)).toEqual([
      'Jun 2026 ↓ · Sep 2026 →',
      'A',
      'B',
      'C',
      'Erased',
      'Not yet a client',
      'A',
      'B',
      'C',
    ]);
    expect(parts(el, 'cell')).toHaveLength(16);
    expect(text(cellAt(el, '1:0'))).toBe('Clients: 8 Revenue: $640K');
    expect(text(cellAt(el, '1:1'))).toBe('Clients: 2 Revenue: $60K');
    expect(text(cellAt(el, '0:2'))).toBe('Clients: 5 Revenue: $4K');
    expect(text(cellAt(el, '3:3'))).toBe('Clients: 4 Revenue: $0');
    expect(text(cellAt(el, '0:0'))).toBe('Clients: 0 Revenue: $0');
    // The diagonal is who stayed; tints follow the number of clients.
    expect(
      parts(el, 'cell')
        .filter((c) => c.classList.contains('stay'))
        .map((c) => c.dataset.cell),
    ).toEqual(['1:0', '2:1', '3:2']);
    expect(cellAt(el, '3:2').style.getPropertyValue('--level')).toBe('1');
    expect(cellAt(el, '0:0').style.getPropertyValue('--level')).toBe('0');
    // 63 clients; 2 + 1 + 3 changed class, 4 were erased and 5 are new.
    expect(text(part(el, 'summary'))).toBe('Jun 2026 → Sep 2026: 63 clients, 15 moved');
  });

  test('names stages in the reader’s language and carries a data table of the cells', async () => {
    const stages = withLists({
      ...data,
      dimension: 'stage' as const,
      cells: [
        { from: 'developed', to: 'sleeping', clients: 3, revenue: 1200 },
        { from: 'developing', to: 'developed', clients: 2, revenue: 800 },
      ],
    });
    const el = await mount('folio-migration-matrix', (e) => (e.data = stages), { lang: 'ru' });
    expect(headers(el).slice(1, 4)).toEqual(['Развивающийся', 'Развитый', 'Спящий']);
    const rows = [...root(el).querySelectorAll('table[part=table] tbody tr')].map((r) =>
      [...r.children].map((c) => text(c)),
    );
    expect(rows).toEqual([
      ['Развитый', 'Спящий', '3', '1\u00a0200\u00a0$'],
      ['Развивающийся', 'Развитый', '2', '800\u00a0$'],
    ]);
    expect(text(part(el, 'summary'))).toBe(
      'июнь 2026 г. → сент. 2026 г.: 5 клиентов, сменили класс: 5',
    );
  });

  test('shows the empty state for an answer without cells (snapshots still being computed)', async () => {
    const el = await mount('folio-migration-matrix', (e) => (e.data = { ...data, cells: [] }));
    expect(text(part(el, 'empty'))).toBe('No clients in either month yet.');
    expect(part(el, 'grid')).toBeNull();
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-migration-matrix', (e) => (e.data = data));
    await expectAccessible(el);
  });

  test('fetches GET /v1/segments/migrations with its query and the key', async () => {
    const spy = stubFetch(() => json(data));
    const el = await mount('folio-migration-matrix', undefined, {
      attrs: {
        'api-base': 'https://api.test',
        key: 'pk_x',
        dimension: 'abc',
        from: '2026-06',
        to: '2026-09',
      },
    });
    await el.dataComplete;
    expect(spy.mock.calls[0]![0]).toBe(
      'https://api.test/v1/segments/migrations?dimension=abc&from=2026-06&to=2026-09',
    );
    expect(headerOf(spy.mock.calls[0]![1], 'authorization')).toBe('Bearer pk_x');
    expect(parts(el, 'cell')).toHaveLength(16);
  });
});

describe('<folio-migration-matrix> events and keyboard', () => {
  test('a click emits folio-migration-select with the classes, figures and clients list of the cell', async () => {
    const seen = collect('folio-migration-select');
    const el = await mount('folio-migration-matrix', (e) => (e.data = data));
    await userEvent.click(cellAt(el, '3:3'));
    await userEvent.click(cellAt(el, '0:2'));
    await userEvent.click(cellAt(el, '0:0'));
    const list = '/v1/clients?movedDimension=abc&movedFrom=2026-06&movedTo=2026-09';
    expect(seen.map((e) => e.detail)).toEqual([
      { from: 'C', to: null, clients: 4, revenue: 0, list: `${list}&fromClass=C&toClass=` },
      { from: null, to: 'C', clients: 5, revenue: 4000, list: `${list}&fromClass=&toClass=C` },
      // A cell no client is in has no list.
      { from: null, to: 'A', clients: 0, revenue: 0, list: null },
    ]);
    expect(seen[0]!.bubbles && seen[0]!.composed).toBe(true);
    await el.updateComplete;
    expect(el.getAttribute('selected')).toBe('→A');
  });

  test('one Tab stop; arrows, Home and End move; Enter and Space select', async () => {
    const seen = collect('folio-migration-select');
    const el = await mount('folio-migration-matrix', (e) => (e.data = data));
    expect(parts(el, 'cell').filter((c) => c.tabIndex === 0)).toEqual([cellAt(el, '0:0')]);
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}{ArrowRight}{Enter}{End} ');
    expect(seen.map((e) => [e.detail.from, e.detail.to])).toEqual([
      ['A', 'B'],
      ['A', null],
    ]);
    await userEvent.keyboard('{Control>}{End}{/Control}');
    expect(root(el).activeElement).toBe(cellAt(el, '3:3'));
  });

  test('is not emitted by programmatic changes', async () => {
    const seen = collect('folio-migration-select');
    const el = await mount('folio-migration-matrix', (e) => (e.data = data));
    el.selected = 'A→B';
    el.data = { ...data };
    await el.updateComplete;
    expect(cellAt(el, '1:1').getAttribute('aria-selected')).toBe('true');
    expect(seen).toEqual([]);
  });
});
