import { afterEach, describe, expect, test } from 'vitest';
import type { ClientProfile } from '../shared/profile.ts';
import {
  cleanup,
  deferred,
  expectAccessible,
  headerOf,
  json,
  mount,
  part,
  problem,
  root,
  stubFetch,
  text,
} from '../shared/testing.ts';
import { profile } from '../shared/fixtures.ts';
import './folio-client-card.ts';

const figures = (el: Element) =>
  Object.fromEntries(
    [...root(el).querySelectorAll('dl > div')].map((row) => [
      text(row.querySelector('dt')),
      text(row.querySelector('dd')),
    ]),
  );
const events = (el: Element) =>
  [...root(el).querySelectorAll('[part=events] li')].map((li) => text(li));

afterEach(cleanup);

describe('<folio-client-card> from the data property', () => {
  test("shows the client's name, stage, types, value in the profile's currency and recent events", async () => {
    const el = await mount('folio-client-card', (e) => (e.data = profile));
    expect(text(part(el, 'name'))).toBe('Acme Ltd');
    expect(text(part(el, 'stage'))).toBe('Developed');
    expect(text(root(el).querySelector('.stage-line'))).toBe('Developed since Mar 5, 2024');
    const badge = part(el, 'types') as HTMLElementTagNameMap['folio-client-badge'];
    expect(badge.localName).toBe('folio-client-badge');
    await badge.updateComplete;
    expect([...badge.shadowRoot!.querySelectorAll('[part=label]')].map((l) => text(l))).toEqual([
      'Golden',
      'Status',
    ]);
    expect(figures(el)).toEqual({
      'Historic CLV': '€12,346',
      'Predicted CLV': '€4,000',
      'Total CLV': '€16,346',
      Orders: '14',
      Margin: '€3,000',
      'Probability still active': '92%',
      'Churn probability': '8%',
      'Predicted orders': '3.4',
      'Average days between orders': '41.5 days',
      'Expected next order': 'Mar 20, 2025',
      'First purchase': 'Feb 1, 2023',
      'Last purchase': 'Jan 28, 2025',
      RFM: 'R5 F4 M5 · champions',
      'ABC-XYZ': 'AY',
    });
    expect(events(el)).toEqual([
      'Jan 28, 2025 Purchase: €1,200, Widget 2',
      'Dec 2, 2024 Refusal: price',
      'Nov 20, 2024 Meeting',
    ]);
    expect(root(el).querySelector('time')!.getAttribute('datetime')).toBe(
      '2025-01-28T10:00:00.000Z',
    );
  });

  test('renders what is there: a new client with nulls everywhere', async () => {
    const bare: ClientProfile = {
      ...profile,
      name: null,
      stage: null,
      stageSince: null,
      types: [],
      rfm: null,
      abc: null,
      xyz: null,
      clv: null,
      aggregates: null,
      recentEvents: [],
    };
    const el = await mount('folio-client-card', (e) => (e.data = bare));
    expect(text(part(el, 'name'))).toBe('acme');
    expect(part(el, 'stage')).toBeNull();
    expect(part(el, 'types')).toBeNull();
    expect(part(el, 'value')).toBeNull();
    expect(text(root(el).querySelector('section p'))).toBe('No events yet.');
    await expectAccessible(el);
  });

  test('speaks Russian, and the badge inside follows the language of the page', async () => {
    const el = await mount('folio-client-card', (e) => (e.data = profile), { lang: 'ru' });
    expect(text(root(el).querySelector('.stage-line'))).toMatch(/^Развитый с 5 мар\. 2024\sг\.$/);
    expect(figures(el)['Накопленная CLV']).toBe('12\u00a0346\u00a0€');
    expect(figures(el)['Дней между заказами в среднем']).toBe('41,5 дня');
    expect(events(el)[0]).toMatch(/^28 янв\. 2025\sг\. Покупка: 1\u00a0200\u00a0€, Widget 2$/);
    const badge = part(el, 'types') as HTMLElementTagNameMap['folio-client-badge'];
    await badge.updateComplete;
    expect(text(badge.shadowRoot!.querySelector('[part=label]'))).toBe('Золотой');
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-client-card', (e) => (e.data = profile));
    await expectAccessible(el);
  });
});

describe('<folio-client-card> from the API', () => {
  const attrs = { 'api-base': 'https://api.test/', key: 'wst_session_1', 'client-id': 'acme' };

  test('fetches the profile with the bearer token', async () => {
    const fetch = stubFetch(() => json(profile));
    const el = await mount('folio-client-card', undefined, { attrs });
    await el.dataComplete;
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.test/v1/clients/acme');
    expect(headerOf(init, 'authorization')).toBe('Bearer wst_session_1');
    expect(text(part(el, 'name'))).toBe('Acme Ltd');
  });

  test('loading, then the problem detail of an unknown client', async () => {
    const answer = deferred<Response>();
    stubFetch(() => answer.promise);
    const el = await mount('folio-client-card', undefined, { attrs, lang: 'ru' });
    expect(text(part(el, 'loading'))).toBe('Загрузка…');
    answer.resolve(problem(404, 'Not Found', 'Клиент acme не найден.'));
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe('Не удалось загрузить данные. Клиент acme не найден.');
  });

  test('without data or a client to fetch, the empty state', async () => {
    const fetch = stubFetch(() => json(profile));
    const el = await mount('folio-client-card', undefined, {
      attrs: { 'api-base': 'https://api.test' },
    });
    expect(fetch).not.toHaveBeenCalled();
    expect(text(part(el, 'empty'))).toBe('No client to show.');
  });

  test('switching client aborts the running fetch; the data property wins; a detached fetch never renders', async () => {
    const first = deferred<Response>();
    const fetch = stubFetch((url) =>
      url.endsWith('/acme') ? first.promise : json({ ...profile, id: 'beta', name: 'Beta' }),
    );
    const el = await mount('folio-client-card', undefined, { attrs });
    el.clientId = 'beta';
    await el.updateComplete;
    expect(fetch.mock.calls[0]![1]!.signal!.aborted).toBe(true);
    first.resolve(json(profile));
    await el.dataComplete;
    expect(text(part(el, 'name'))).toBe('Beta');

    el.data = { ...profile, name: 'Given' };
    await el.dataComplete;
    expect(text(part(el, 'name'))).toBe('Given');
    expect(fetch).toHaveBeenCalledTimes(2);

    const late = deferred<Response>();
    fetch.mockImplementation(() => late.promise);
    const other = await mount('folio-client-card', undefined, { attrs });
    other.remove();
    late.resolve(json(profile));
    await other.dataComplete;
    expect(part(other, 'name')).toBeNull();
  });
});
