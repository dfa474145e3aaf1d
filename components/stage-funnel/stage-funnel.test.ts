import { afterEach, describe, expect, test } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
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
import { funnel } from '../shared/fixtures.ts';
import './folio-stage-funnel.ts';

afterEach(cleanup);

describe('<folio-stage-funnel> from the data property', () => {
  test('shows every stage with its count, conversion to the next stage and median days, sized by count', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    const buttons = parts(el, 'stage');
    expect(buttons.map((b) => text(b.querySelector('[part=label]')))).toEqual([
      'Prospect',
      'Potential',
      'Developing',
      'Developed',
      'Sleeping',
      'Lost',
    ]);
    expect(buttons.map((b) => text(b.querySelector('[part=count]')))).toEqual([
      '1,234',
      '120',
      '80',
      '40',
      '20',
      '6',
    ]);
    expect(text(buttons[0]!.querySelector('[part=meta]'))).toBe('45.5% move on · median 12.5 days');
    expect(text(buttons[2]!.querySelector('[part=meta]'))).toBe('50% move on');
    expect(text(buttons[4]!.querySelector('[part=meta]'))).toBe('median 90 days');
    expect(buttons[5]!.querySelector('[part=meta]')).toBeNull();
    expect(buttons[0]!.style.getPropertyValue('--size')).toBe('1');
    expect(Number(buttons[1]!.style.getPropertyValue('--size'))).toBeCloseTo(120 / 1234);
    expect(text(part(el, 'summary'))).toBe('1,500 clients, as of Mar 1, 2025');
  });

  test('carries a data table with the same numbers for screen readers', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    const rows = [...root(el).querySelectorAll('table[part=table] tbody tr')].map((r) =>
      [...r.children].map((c) => text(c)),
    );
    expect(rows[0]).toEqual(['Prospect', '1,234', '1,234', '2,468', '45.5%', '50%', '12.5 days']);
    expect(rows).toHaveLength(6);
    // Hidden from sight by default, not from assistive technology.
    expect(part(el, 'table')!.parentElement!.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    el.showTable = true;
    await el.updateComplete;
    expect(part(el, 'table')!.parentElement!.getBoundingClientRect().width).toBeGreaterThan(100);
  });

  test('keeps a stage renamed by the workspace and translates default names', async () => {
    const renamed = {
      ...funnel,
      stages: funnel.stages.map((s) => (s.stage === 'developed' ? { ...s, label: 'Regulars' } : s)),
    };
    const el = await mount('folio-stage-funnel', (e) => (e.data = renamed), { lang: 'ru' });
    expect(parts(el, 'label').map(text)).toEqual([
      'Стадия привлечения',
      'Потенциальный',
      'Развивающийся',
      'Regulars',
      'Спящий',
      'Утерянный',
    ]);
  });

  test('speaks Russian with Russian number formatting when an ancestor says lang="ru"', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel), { lang: 'ru-RU' });
    expect(text(parts(el, 'count')[0]!)).toBe('1\u00a0234');
    expect(text(parts(el, 'meta')[0]!)).toBe('дальше: 45,5\u00a0% · медиана 12,5 дня');
    // The plural form Intl.PluralRules picks: 1 500 is "many", клиентов.
    expect(text(part(el, 'summary'))).toMatch(/^1\u00a0500 клиентов на 1 мар\. 2025\sг\.$/);
    expect(root(el).querySelector('caption')!.textContent).toContain('Воронка жизненного цикла');
  });

  test('follows its own lang attribute when it changes', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel), { lang: 'ru' });
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(text(parts(el, 'label')[0]!)).toBe('Prospect');
  });

  test('shows the empty state when no client has a stage', async () => {
    const el = await mount(
      'folio-stage-funnel',
      (e) =>
        (e.data = { ...funnel, total: 0, stages: funnel.stages.map((s) => ({ ...s, count: 0 })) }),
    );
    expect(text(part(el, 'empty'))).toBe('No clients in the funnel yet.');
    expect(part(el, 'empty')!.closest('[role=status]')).not.toBeNull();
    expect(parts(el, 'stage')).toHaveLength(0);
  });

  test('lays the stages out side by side with layout="horizontal"', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel), {
      attrs: { layout: 'horizontal' },
    });
    const [first, second] = parts(el, 'stage').map((b) => b.getBoundingClientRect());
    expect(second!.left).toBeGreaterThan(first!.right - 1);
    expect(Math.round(second!.top)).toBe(Math.round(first!.top));
    el.layout = 'vertical';
    await el.updateComplete;
    const [a, b] = parts(el, 'stage').map((s) => s.getBoundingClientRect());
    expect(b!.top).toBeGreaterThan(a!.bottom - 1);
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    await expectAccessible(el);
  });

  test('animates the bars unless the user prefers reduced motion', async () => {
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    const duration = () => getComputedStyle(parts(el, 'bar')[0]!).transitionDuration;
    expect(duration()).toBe('0.15s, 0.15s');
    await commands.reduceMotion(true);
    try {
      expect(duration()).toBe('0s');
    } finally {
      await commands.reduceMotion(false);
    }
  });
});

describe('<folio-stage-funnel> events', () => {
  test('a click on a stage emits folio-stage-select with the stage, bubbling out of the shadow root', async () => {
    const seen = collect('folio-stage-select');
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    await userEvent.click(parts(el, 'stage')[1]!);
    expect(seen.map((e) => e.detail)).toEqual([{ stage: 'potential' }]);
    expect(seen[0]!.composed && seen[0]!.bubbles).toBe(true);
    await el.updateComplete;
    expect(parts(el, 'stage')[1]!.getAttribute('aria-current')).toBe('true');
  });

  test('Enter and Space on a focused stage emit the event; Tab moves between stages', async () => {
    const seen = collect('folio-stage-select');
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    parts(el, 'stage')[0]!.focus();
    await userEvent.keyboard('{Enter}');
    await userEvent.tab();
    expect(root(el).activeElement).toBe(parts(el, 'stage')[1]);
    await userEvent.keyboard(' ');
    expect(seen.map((e) => e.detail.stage)).toEqual(['prospect', 'potential']);
  });

  test('is not emitted by programmatic changes', async () => {
    const seen = collect('folio-stage-select');
    const el = await mount('folio-stage-funnel', (e) => (e.data = funnel));
    el.selected = 'developed';
    el.data = { ...funnel, total: 10 };
    await el.updateComplete;
    expect(parts(el, 'stage')[3]!.getAttribute('aria-current')).toBe('true');
    expect(seen).toEqual([]);
  });
});

describe('<folio-stage-funnel> from the API', () => {
  const attrs = { 'api-base': 'https://api.test/', key: 'pk_test_1', 'as-of': '2025-03-01' };

  test('fetches the funnel with the key as a bearer token and renders it', async () => {
    const fetch = stubFetch(() => json(funnel));
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    await el.dataComplete;
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.test/v1/lifecycle/funnel?asOf=2025-03-01');
    expect(headerOf(init, 'authorization')).toBe('Bearer pk_test_1');
    expect(parts(el, 'stage')).toHaveLength(6);
  });

  test('shows a polite loading message while the request is out', async () => {
    const answer = deferred<Response>();
    stubFetch(() => answer.promise);
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    expect(text(part(el, 'loading'))).toBe('Loading…');
    expect(part(el, 'loading')!.closest('[role=status]')!.getAttribute('aria-live')).toBe('polite');
    expect(part(el, 'base')!.getAttribute('aria-busy')).toBe('true');
    await expectAccessible(el);
    answer.resolve(json(funnel));
    await el.dataComplete;
    expect(part(el, 'loading')).toBeNull();
  });

  test("shows the problem's detail in an alert when the API refuses", async () => {
    stubFetch(() => problem(403, 'Forbidden', 'This origin is not allowed for the key.'));
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    await el.dataComplete;
    const error = part(el, 'error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(error)).toBe('Could not load the data. This origin is not allowed for the key.');
    await expectAccessible(el);
  });

  test.each([
    [
      'the detail of a problem',
      () => problem(401, 'Unauthorized', 'The key is not valid.'),
      'Could not load the data. The key is not valid.',
    ],
    [
      'the title of a problem without detail',
      () =>
        json(
          { type: 'about:blank', title: 'Too Many Requests', status: 429 },
          429,
          'application/problem+json',
        ),
      'Could not load the data. Too Many Requests',
    ],
    [
      'nothing more for a body that is not JSON',
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
      'Could not load the data.',
    ],
  ])('an error answer shows %s', async (_, answer, shown) => {
    stubFetch(answer);
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe(shown);
  });

  test('a network failure shows the generic error', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await mount('folio-stage-funnel', undefined, { attrs, lang: 'ru' });
    await el.dataComplete;
    expect(text(part(el, 'error'))).toBe('Не удалось загрузить данные.');
  });

  test('the data property wins: nothing is fetched', async () => {
    const fetch = stubFetch(() => json(funnel));
    const el = await mount('folio-stage-funnel', (e) => (e.data = { ...funnel, total: 7 }), {
      attrs,
    });
    await el.dataComplete;
    expect(fetch).not.toHaveBeenCalled();
    expect(text(part(el, 'summary'))).toMatch(/^7 clients/);
  });

  test('a fetch abandoned by disconnecting is aborted and never renders', async () => {
    const answer = deferred<Response>();
    const fetch = stubFetch(() => answer.promise);
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    el.remove();
    expect(fetch.mock.calls[0]![1]!.signal!.aborted).toBe(true);
    answer.resolve(json(funnel));
    await el.dataComplete;
    expect(parts(el, 'stage')).toHaveLength(0);
    expect(part(el, 'loading')).not.toBeNull();
  });

  test('changing the key aborts the running fetch and fetches again with the new one', async () => {
    const first = deferred<Response>();
    const fetch = stubFetch((_, init) =>
      headerOf(init, 'authorization') === 'Bearer pk_test_1'
        ? first.promise
        : json({ ...funnel, total: 2 }),
    );
    const el = await mount('folio-stage-funnel', undefined, { attrs });
    el.key = 'pk_test_2';
    await el.updateComplete;
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[0]![1]!.signal!.aborted).toBe(true);
    first.resolve(json(funnel));
    await el.dataComplete;
    expect(text(part(el, 'summary'))).toMatch(/^2 clients/);
  });
});
