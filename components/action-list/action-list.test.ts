import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ActionItem, ActionList } from '../../schema/actions.ts';
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
  urlOf,
} from '../shared/testing.ts';
import './folio-action-list.ts';

const item = (over: Partial<ActionItem> & Pick<ActionItem, 'id' | 'kind'>): ActionItem => ({
  clientId: over.id.split(':')[2]!,
  clientName: null,
  manager: 'anna',
  priority: 2,
  dueAt: '2025-03-13T09:00:00.000Z',
  openedAt: '2025-03-13T09:00:00.000Z',
  overdueDays: 0,
  canMarkDone: true,
  reason: { rule: 'rule', text: 'API text', numbers: {}, dates: {}, signals: [] },
  ...over,
});

const list: ActionList = {
  asOf: '2025-03-13T10:00:00.000Z',
  total: 5,
  nextCursor: null,
  data: [
    item({
      id: 'keep_cadence:2025-03-11:acme',
      kind: 'keep_cadence',
      clientName: 'Acme',
      priority: 1,
      dueAt: '2025-03-11T09:00:00.000Z',
      overdueDays: 2,
      reason: {
        rule: 'A key client needs a positive contact at least every 10 days',
        text: 'No positive contact for 12 days (last on 2025-03-01)',
        numbers: { cadenceDays: 10, daysSinceContact: 12 },
        dates: { lastPositiveContactAt: '2025-03-01T09:00:00.000Z' },
        signals: [],
      },
    }),
    item({
      id: 'respect_pause:2025-03-20:globex',
      kind: 'respect_pause',
      clientName: 'Globex',
      priority: 1,
      dueAt: '2025-03-20T08:00:00.000Z',
      reason: {
        rule: 'pause',
        text: 'Negative contact…',
        numbers: { pauseDays: 14, daysLeft: 7 },
        dates: {
          negativeContactAt: '2025-03-06T08:00:00.000Z',
          pauseEndsAt: '2025-03-20T08:00:00.000Z',
        },
        signals: [],
      },
    }),
    item({
      id: 'rebalance_manager:2025-03-31:anna',
      kind: 'rebalance_manager',
      clientId: null,
      priority: 1,
      dueAt: '2025-03-31T00:00:00.000Z',
      canMarkDone: false,
      reason: {
        rule: 'max 3',
        text: 'anna holds 4 key clients',
        numbers: { keyClients: 4, maxKeyClients: 3 },
        dates: {},
        signals: [],
      },
    }),
    item({
      id: 'wake_sleeping:2025-03-13:polar',
      kind: 'wake_sleeping',
      clientName: 'Polar',
      reason: {
        rule: 'wake',
        text: 'sleeping since 2025-03-13',
        numbers: { orders: 3, revenue: 30, daysSinceLastPurchase: 125 },
        dates: { stageSince: '2025-03-13T09:00:00.000Z' },
        signals: [],
      },
    }),
    item({
      id: 'loyal_touch:2025-03-31:vega',
      kind: 'loyal_touch',
      clientName: 'Vega',
      dueAt: '2025-03-31T00:00:00.000Z',
      reason: {
        rule: 'touch',
        text: 'No contact this month yet',
        numbers: {},
        dates: { periodStart: '2025-03-01T00:00:00.000Z' },
        signals: [],
      },
    }),
  ],
};

const ids = (el: Element) => parts(el, 'item').map((li) => li.dataset.id);
const itemEl = (el: Element, id: string) =>
  root(el).querySelector<HTMLElement>(`li[data-id="${id}"]`)!;

afterEach(cleanup);

describe('<folio-action-list> from the data property', () => {
  test('groups by due date: overdue, today, next 7 days, later; each item with what, who, priority, due and reason', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = list));
    expect(parts(el, 'group-heading').map(text)).toEqual([
      'Overdue (1)',
      'Due today (1)',
      'Next 7 days (1)',
      'Later (2)',
    ]);
    expect(ids(el)).toEqual([
      'keep_cadence:2025-03-11:acme',
      'wake_sleeping:2025-03-13:polar',
      'respect_pause:2025-03-20:globex',
      'rebalance_manager:2025-03-31:anna',
      'loyal_touch:2025-03-31:vega',
    ]);
    const acme = itemEl(el, 'keep_cadence:2025-03-11:acme');
    expect(text(acme.querySelector('[part=kind]'))).toBe('Keep the contact cadence');
    expect(text(acme.querySelector('[part=client]'))).toBe('Acme');
    expect(text(acme.querySelector('[part=priority]'))).toBe('High priority');
    expect(text(acme.querySelector('[part=due]'))).toBe('2 days overdue');
    expect(acme.getAttribute('part')).toBe('item priority-1 overdue');
    expect(text(acme.querySelector('[part=reason]'))).toBe(
      'No positive contact for 12 days; a key client needs one every 10 days.',
    );
    expect(text(itemEl(el, 'respect_pause:2025-03-20:globex').querySelector('[part=due]'))).toBe(
      'until Mar 20, 2025',
    );
    expect(
      text(itemEl(el, 'rebalance_manager:2025-03-31:anna').querySelector('[part=client]')),
    ).toBe('Manager: anna');
    expect(text(part(el, 'summary'))).toBe('5 to do, as of Mar 13, 2025');
  });

  test('group-by="kind" follows the order of the kinds', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = list), {
      attrs: { 'group-by': 'kind' },
    });
    expect(parts(el, 'group-heading').map(text)).toEqual([
      'Hold off: pause after a negative contact (1)',
      'Keep the contact cadence (1)',
      'Rebalance key clients (1)',
      'Wake a sleeping client (1)',
      'Touch a loyal client (1)',
    ]);
  });

  test('speaks Russian, reasons included, with Russian dates and numbers', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = list), { lang: 'ru' });
    const acme = itemEl(el, 'keep_cadence:2025-03-11:acme');
    expect(text(acme.querySelector('[part=kind]'))).toBe('Соблюсти частоту контактов');
    expect(text(acme.querySelector('[part=reason]'))).toBe(
      'Нет позитивного контакта уже 12 дней; с ключевым клиентом — не реже чем раз в 10 дней.',
    );
    expect(text(acme.querySelector('[part=due]'))).toBe('просрочено на 2 дня');
    expect(parts(el, 'group-heading').map(text)[0]).toBe('Просрочено (1)');
    expect(text(part(el, 'done-button'))).toBe('Сделано');
  });

  test('a reason whose figures are missing falls back to the API text', async () => {
    const bare = {
      ...list,
      data: [
        item({
          id: 'keep_cadence:2025-03-11:x',
          kind: 'keep_cadence',
          reason: { rule: 'r', text: 'As the API says', numbers: {}, dates: {}, signals: [] },
        }),
      ],
    };
    const el = await mount('folio-action-list', (e) => (e.data = bare));
    expect(text(part(el, 'reason'))).toBe('As the API says');
  });

  test('no done button where the item clears itself, and none at all when readonly', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = list));
    expect(
      itemEl(el, 'rebalance_manager:2025-03-31:anna').querySelector('[part=done-button]'),
    ).toBeNull();
    expect(parts(el, 'done-button')).toHaveLength(4);
    el.readonly = true;
    await el.updateComplete;
    expect(parts(el, 'done-button')).toHaveLength(0);
  });

  test('shows the empty state when there is nothing to do', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = { ...list, data: [], total: 0 }));
    expect(text(part(el, 'empty'))).toBe('Nothing to do right now.');
    expect(part(el, 'empty')!.closest('[role=status]')).not.toBeNull();
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-action-list', (e) => (e.data = list));
    await expectAccessible(el);
  });
});

describe('<folio-action-list> marking done', () => {
  const attrs = {
    'api-base': 'https://api.test/',
    key: 'rk_anna',
    manager: 'anna',
    'as-of': '2025-03-13T10:00:00Z',
  };

  test('a click POSTs to the API, removes the item, announces it and emits folio-action-done', async () => {
    const seen = collect('folio-action-done');
    const answer = {
      id: 'keep_cadence:2025-03-11:acme',
      kind: 'keep_cadence',
      clientId: 'acme',
      doneAt: '2025-03-13T10:00:00.000Z',
      eventId: 'done_1',
      duplicate: false,
    };
    const fetch = stubFetch((url) => (url.includes('/done') ? json(answer) : json(list)));
    const el = await mount('folio-action-list', undefined, { attrs });
    await el.dataComplete;
    await userEvent.click(
      itemEl(el, 'keep_cadence:2025-03-11:acme').querySelector('[part=done-button]')!,
    );
    await el.updateComplete;
    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('https://api.test/v1/actions/keep_cadence%3A2025-03-11%3Aacme/done');
    expect(init).toMatchObject({ method: 'POST', body: '{}' });
    expect(headerOf(init, 'authorization')).toBe('Bearer rk_anna');
    expect(ids(el)).not.toContain('keep_cadence:2025-03-11:acme');
    expect(seen.map((e) => e.detail)).toEqual([
      { id: answer.id, kind: 'keep_cadence', clientId: 'acme', result: answer },
    ]);
    expect(seen[0]!.bubbles && seen[0]!.composed).toBe(true);
    expect(text(root(el).querySelector('p[role=status]'))).toBe(
      'Marked done: Keep the contact cadence, Acme.',
    );
    expect(el.items).toHaveLength(4);
  });

  test("a refusal shows the problem's detail on the item, keeps it and emits nothing", async () => {
    const seen = collect('folio-action-done');
    stubFetch((url) =>
      url.includes('/done')
        ? problem(403, 'Forbidden', 'A publishable key may only read widget data.')
        : json(list),
    );
    const el = await mount('folio-action-list', undefined, { attrs });
    await el.dataComplete;
    await userEvent.click(
      itemEl(el, 'wake_sleeping:2025-03-13:polar').querySelector('[part=done-button]')!,
    );
    await el.updateComplete;
    const error = itemEl(el, 'wake_sleeping:2025-03-13:polar').querySelector('[part=item-error]')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(error)).toBe(
      'Could not mark it done. A publishable key may only read widget data.',
    );
    expect(ids(el)).toContain('wake_sleeping:2025-03-13:polar');
    expect(seen).toEqual([]);
    await expectAccessible(el);
  });

  test('the button is busy while the request is out and a second click sends nothing more', async () => {
    const answer = deferred<Response>();
    const fetch = stubFetch((url) => (url.includes('/done') ? answer.promise : json(list)));
    const el = await mount('folio-action-list', undefined, { attrs });
    await el.dataComplete;
    const button = itemEl(el, 'loyal_touch:2025-03-31:vega').querySelector<HTMLButtonElement>(
      '[part=done-button]',
    )!;
    await userEvent.click(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    // Playwright will not click an aria-disabled button; an impatient script might.
    button.click();
    expect(fetch.mock.calls.filter(([u]) => urlOf(u).includes('/done'))).toHaveLength(1);
    answer.resolve(json({}));
    await expect.poll(() => ids(el)).not.toContain('loyal_touch:2025-03-31:vega');
    expect(fetch.mock.calls.filter(([u]) => urlOf(u).includes('/done'))).toHaveLength(1);
  });

  test('without api-base it only emits: the page records it', async () => {
    const seen = collect('folio-action-done');
    const fetch = stubFetch(() => json({}));
    const el = await mount('folio-action-list', (e) => (e.data = list));
    await userEvent.click(
      itemEl(el, 'wake_sleeping:2025-03-13:polar').querySelector('[part=done-button]')!,
    );
    await el.updateComplete;
    expect(fetch).not.toHaveBeenCalled();
    expect(seen.map((e) => e.detail.id)).toEqual(['wake_sleeping:2025-03-13:polar']);
    expect(ids(el)).toHaveLength(4);
  });

  test('is not emitted by programmatic changes', async () => {
    const seen = collect('folio-action-done');
    const el = await mount('folio-action-list', (e) => (e.data = list));
    el.data = { ...list, data: list.data.slice(1) };
    el.groupBy = 'kind';
    await el.updateComplete;
    expect(seen).toEqual([]);
  });
});

describe('<folio-action-list> keyboard', () => {
  test('Tab lands on the first item, arrows move across groups, Home and End jump, Tab reaches the item’s button', async () => {
    const seen = collect('folio-action-done');
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.appendChild(before);
    const el = await mount('folio-action-list', (e) => (e.data = list));
    before.focus();
    await userEvent.tab();
    const active = () => (root(el).activeElement as HTMLElement | null)?.closest('li')?.dataset.id;
    expect(active()).toBe('keep_cadence:2025-03-11:acme');
    await userEvent.keyboard('{ArrowDown}');
    expect(active()).toBe('wake_sleeping:2025-03-13:polar');
    await userEvent.keyboard('{End}');
    expect(active()).toBe('loyal_touch:2025-03-31:vega');
    await userEvent.keyboard('{ArrowDown}');
    expect(active()).toBe('loyal_touch:2025-03-31:vega');
    await userEvent.keyboard('{Home}{ArrowDown}{ArrowDown}');
    expect(active()).toBe('respect_pause:2025-03-20:globex');
    // Only the current item is a Tab stop: Tab goes to its button, then out of the list.
    await userEvent.tab();
    expect(root(el).activeElement?.getAttribute('part')).toBe('done-button');
    expect(root(el).activeElement?.getAttribute('aria-label')).toBe(
      'Mark done: Hold off: pause after a negative contact, Globex',
    );
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    expect(seen.map((e) => e.detail.id)).toEqual(['respect_pause:2025-03-20:globex']);
    // Focus moves on to the next item rather than falling out of the list.
    expect(active()).toBe('rebalance_manager:2025-03-31:anna');
  });
});

describe('<folio-action-list> from the API', () => {
  const attrs = {
    'api-base': 'https://api.test',
    key: 'wst_session',
    manager: 'anna',
    kind: 'keep_cadence,respect_pause',
    limit: '20',
  };

  test('fetches the list with its filters and the key as a bearer token', async () => {
    const fetch = stubFetch(() => json(list));
    const el = await mount('folio-action-list', undefined, { attrs });
    await el.dataComplete;
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(
      'https://api.test/v1/actions?manager=anna&kind=keep_cadence%2Crespect_pause&limit=20',
    );
    expect(headerOf(init, 'authorization')).toBe('Bearer wst_session');
    expect(ids(el)).toHaveLength(5);
  });

  test('shows a polite loading message, then says when more items wait on the next page', async () => {
    const answer = deferred<Response>();
    stubFetch(() => answer.promise);
    const el = await mount('folio-action-list', undefined, { attrs });
    expect(text(part(el, 'loading'))).toBe('Loading…');
    expect(part(el, 'base')!.getAttribute('aria-busy')).toBe('true');
    await expectAccessible(el);
    answer.resolve(json({ ...list, total: 12, nextCursor: 'abc' }));
    await el.dataComplete;
    expect(text(part(el, 'more'))).toBe('More items are waiting on the next page.');
    expect(text(part(el, 'summary'))).toBe('12 to do, as of Mar 13, 2025');
  });

  test("shows the problem's detail in an alert when the API refuses", async () => {
    stubFetch(() => problem(403, 'Forbidden', 'This key may not make this call'));
    const el = await mount('folio-action-list', undefined, { attrs, lang: 'ru' });
    await el.dataComplete;
    expect(part(el, 'error')!.getAttribute('role')).toBe('alert');
    expect(text(part(el, 'error'))).toBe(
      'Не удалось загрузить данные. This key may not make this call',
    );
  });
});
