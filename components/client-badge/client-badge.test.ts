import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { ClientProfile, ClientTypeEntry } from '../shared/profile.ts';
import {
  cleanup,
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
import './folio-client-badge.ts';

const types: ClientTypeEntry[] = [
  {
    type: 'golden',
    source: 'derived',
    reasons: [
      { code: 'key_revenue_share', params: { share: 0.34, threshold: 0.1 } },
      { code: 'key_revenue_rank', params: { rank: 2, buyers: 120, top: 0.2 } },
    ],
  },
  {
    type: 'pioneer',
    source: 'derived',
    reasons: [
      {
        code: 'pioneer_product',
        params: { product: 'Widget 2', days: 3, launchedAt: '2025-02-01T00:00:00.000Z' },
      },
    ],
  },
  { type: 'bad', source: 'manual', reasons: [{ code: 'manual', params: {} }] },
  { type: 'partner', source: 'manual', reasons: [{ code: 'tagged', params: { tag: 'reseller' } }] },
];

// The tooltip the trigger's aria-describedby points at, looked up where the browser would: in its shadow root.
const tooltipOf = (trigger: HTMLElement) =>
  (trigger.getRootNode() as ShadowRoot).getElementById(trigger.getAttribute('aria-describedby')!)!;
const triggers = (el: Element) => [...root(el).querySelectorAll<HTMLElement>('.trigger')];
const visible = (node: Element) => node.checkVisibility();

afterEach(cleanup);

describe('<folio-client-badge> from the types property', () => {
  test('shows each type with an icon, its label and its reasons as the accessible description', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types));
    expect(parts(el, 'label').map(text)).toEqual(['Golden', 'Pioneer', 'Bad', 'partner']);
    expect(parts(el, 'icon')).toHaveLength(4);
    const [golden, , bad] = triggers(el);
    const tip = tooltipOf(golden!);
    expect(tip.getAttribute('role')).toBe('tooltip');
    expect(text(tip)).toBe('34% of revenue (key from 10%); revenue rank 2 of 120 (top 20%)');
    expect(text(tooltipOf(bad!))).toBe('Set by hand; No reasons given');
  });

  test('on a lang="ru" page the reasons are rendered in Russian from the structured data', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types), { lang: 'ru' });
    const [golden, pioneer, , partner] = triggers(el);
    expect(text(tooltipOf(golden!))).toBe(
      '34\u00a0% выручки (ключевой от 10\u00a0%); 2-е место по выручке из 120 (первые 20\u00a0%)',
    );
    expect(text(tooltipOf(pioneer!))).toBe(
      'купил новинку «Widget 2» через 3 дня после её первой продажи 1 февр. 2025 г.',
    );
    expect(text(tooltipOf(partner!))).toBe('Задан вручную; метка «reseller»');
    expect(parts(el, 'label').map(text)[0]).toBe('Золотой');
    expect(parts(el, 'type').map((t) => t.dataset.tone)).toEqual([
      'plain',
      'plain',
      'warn',
      'plain',
    ]);
  });

  test('draws a generic icon for a type it does not know', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types));
    const d = (i: number) => parts(el, 'icon')[i]!.querySelector('path')!.getAttribute('d');
    expect(new Set([0, 1, 2, 3].map(d)).size).toBe(4);
    const other = await mount(
      'folio-client-badge',
      (e) => (e.types = [{ type: 'reseller', source: 'manual', reasons: [] }]),
    );
    expect(parts(other, 'icon')[0]!.querySelector('path')!.getAttribute('d')).toBe(d(3));
  });

  test('the tooltip appears on keyboard focus and on hover, and Escape hides it', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types));
    const [golden, pioneer] = triggers(el);
    expect(visible(tooltipOf(golden!))).toBe(false);
    await userEvent.tab();
    expect(root(el).activeElement).toBe(golden);
    expect(visible(tooltipOf(golden!))).toBe(true);
    await userEvent.keyboard('{Escape}');
    await el.updateComplete;
    expect(visible(tooltipOf(golden!))).toBe(false);
    await userEvent.tab();
    expect(visible(tooltipOf(pioneer!))).toBe(true);
    await userEvent.hover(golden!);
    expect(visible(tooltipOf(golden!))).toBe(true);
  });

  test('speaks Russian', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types), { lang: 'ru' });
    expect(parts(el, 'label').map(text)).toEqual(['Золотой', 'Пионер', 'Плохой', 'partner']);
    expect(text(tooltipOf(triggers(el)[2]!))).toBe('Задан вручную; Причины не указаны');
    expect(root(el).querySelector('ul')!.getAttribute('aria-label')).toBe('Виды клиента');
  });

  test('shows the empty state for a client without types', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = []));
    expect(text(part(el, 'empty'))).toBe('No types');
    expect(parts(el, 'type')).toHaveLength(0);
  });

  test('is an inline box and disappears with the hidden attribute', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types));
    expect(getComputedStyle(el).display).toBe('inline-block');
    el.hidden = true;
    expect(getComputedStyle(el).display).toBe('none');
  });

  test('has no accessibility violations, tooltip open or closed', async () => {
    const el = await mount('folio-client-badge', (e) => (e.types = types));
    await expectAccessible(el);
    triggers(el)[0]!.focus();
    await expectAccessible(el);
  });
});

describe('<folio-client-badge> from the API', () => {
  const attrs = { 'api-base': 'https://api.test', key: 'pk_live_9', 'client-id': 'acme/42' };

  test("fetches the client's profile and shows its types", async () => {
    const fetch = stubFetch(() => json({ id: 'acme/42', name: 'Acme', types }));
    const el = await mount('folio-client-badge', undefined, { attrs });
    await el.dataComplete;
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.test/v1/clients/acme%2F42');
    expect(headerOf(init, 'authorization')).toBe('Bearer pk_live_9');
    expect(parts(el, 'label').map(text)).toEqual(['Golden', 'Pioneer', 'Bad', 'partner']);
  });

  test('loading, then the problem detail of a 404', async () => {
    const answer = deferred<Response>();
    stubFetch(() => answer.promise);
    const el = await mount('folio-client-badge', undefined, { attrs });
    expect(text(part(el, 'loading'))).toBe('Loading…');
    answer.resolve(problem(404, 'Not Found', 'No client acme/42.'));
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe('Could not load the data. No client acme/42.');
  });

  test('a profile without types shows the empty state', async () => {
    stubFetch(() => json({ id: 'acme/42', name: 'Acme', types: null }));
    const el = await mount('folio-client-badge', undefined, { attrs });
    await el.dataComplete;
    expect(text(part(el, 'empty'))).toBe('No types');
  });

  test('the types property wins, and a fetch abandoned by disconnecting never renders', async () => {
    const fetch = stubFetch(() => json({ types }));
    await mount('folio-client-badge', (e) => (e.types = []), { attrs });
    expect(fetch).not.toHaveBeenCalled();

    const answer = deferred<Response>();
    fetch.mockImplementation(() => answer.promise);
    const el = await mount('folio-client-badge', undefined, { attrs });
    el.remove();
    expect(fetch.mock.calls[0]![1]!.signal!.aborted).toBe(true);
    answer.resolve(json({ types }));
    await el.dataComplete;
    expect(parts(el, 'type')).toHaveLength(0);
  });

  test('takes the profile itself as data, as the card does; the types property still wins', async () => {
    const fetch = stubFetch(() => json({ types: [] }));
    const el = await mount(
      'folio-client-badge',
      (e) => (e.data = { id: 'acme/42', name: 'Acme', types } as ClientProfile),
      { attrs },
    );
    expect(fetch).not.toHaveBeenCalled();
    expect(parts(el, 'label').map(text)).toEqual(['Golden', 'Pioneer', 'Bad', 'partner']);
    el.types = [types[1]!];
    await el.updateComplete;
    expect(parts(el, 'label').map(text)).toEqual(['Pioneer']);
    const none = await mount(
      'folio-client-badge',
      (e) => (e.data = { id: 'acme/42', name: 'Acme' } as ClientProfile),
    );
    expect(text(part(none, 'empty'))).toBe('No types');
  });
});
