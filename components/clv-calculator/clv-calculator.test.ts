import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import {
  cleanup,
  collect,
  expectAccessible,
  mount,
  part,
  parts,
  root,
  text,
} from '../shared/testing.ts';
import { parseField, showField } from './fields.ts';
import './folio-clv-calculator.ts';

type Calculator = HTMLElementTagNameMap['folio-clv-calculator'];
const input = (el: Element, name: string) =>
  root(el).querySelector<HTMLInputElement>(`#f-${name}`)!;
const labelOf = (el: Element, name: string) => text(root(el).querySelector(`label[for=f-${name}]`));
const results = (el: Element) =>
  Object.fromEntries(
    [...root(el).querySelectorAll('dt')].map((dt) => [text(dt), text(dt.nextElementSibling)]),
  );
const errorOf = (el: Element, name: string) => {
  const field = input(el, name);
  const id = field.getAttribute('aria-describedby');
  return id ? text(root(el).getElementById(id)) : null;
};

async function retype(el: Calculator, name: string, value: string) {
  await userEvent.clear(input(el, name));
  await userEvent.type(input(el, name), value);
  await el.updateComplete;
}

afterEach(cleanup);

describe('parsing what the user types', () => {
  test.each([
    ['100', false, 100],
    ['1 234,5', false, 1234.5],
    ['12,5', true, 0.125],
    ['7', true, 0.07],
    ['7%', true, 0.07],
    ['', false, undefined],
    ['  ', true, undefined],
    ['abc', false, Number.NaN],
    ['1.2.3', false, Number.NaN],
    ['-3', false, -3],
  ] as const)('%j (percent %s) → %s', (typed, percent, value) => {
    expect(parseField(typed, percent)).toBe(value);
  });

  test.each([
    [0.07, true, false, '7'],
    [0.125, true, true, '12,5'],
    [1234.5, false, true, '1234,5'],
    [undefined, false, false, ''],
  ] as const)('%s (percent %s, comma %s) shows as %j', (value, percent, comma, shown) => {
    expect(showField(value, percent, comma)).toBe(shown);
  });
});

describe('<folio-clv-calculator>', () => {
  test('works out of the box: defaults, results and the verdict', async () => {
    const el = await mount('folio-clv-calculator');
    expect(
      [
        'averageOrderValue',
        'ordersPerPeriod',
        'grossMargin',
        'lifetimePeriods',
        'discountRate',
        'acquisitionCost',
        'targetRatio',
      ].map((n) => input(el, n).value),
    ).toEqual(['100', '1', '30', '24', '1', '300', '3']);
    expect(input(el, 'retentionRate')).toBeNull();
    // m = 100 × 1 × 0.3 = 30 a month; 24 months at 1%: 30 × (1 − 1.01^−24) / 0.01 = 637.30
    expect(text(part(el, 'headline'))).toBe('$637');
    expect(results(el)).toEqual({
      'CLV, simple': '$720',
      'CLV/CAC': '2.1×',
      'Allowable CAC': '$212',
      Payback: '10 months',
      'Net value of a client': '$337',
      'Margin per month': '$30.00',
      'Expected lifetime': '24 months',
    });
    expect(text(part(el, 'verdict'))).toBe('Below target: CLV is 2.1× CAC, target 3×.');
    expect(part(el, 'verdict')!.dataset.verdict).toBe('below');
    expect(el.getAttribute('gross-margin')).toBe('0.3');
  });

  test('results follow every keystroke and each valid one emits folio-clv-change with the output', async () => {
    const seen = collect('folio-clv-change');
    const el = await mount('folio-clv-calculator');
    await retype(el, 'averageOrderValue', '200');
    // Clearing leaves the field blank (no event); then "2", "20", "200".
    expect(seen).toHaveLength(3);
    const last = seen.at(-1)!;
    expect(last.bubbles && last.composed).toBe(true);
    expect(last.detail).toMatchObject({
      periodMargin: 60,
      expectedLifetimePeriods: 24,
      clvSimple: 1440,
      paybackPeriods: 5,
      meetsTarget: true,
    });
    expect(last.detail.clvDiscounted).toBeCloseTo(1274.6, 1);
    expect(last.detail).toEqual(el.result);
    expect(el.averageOrderValue).toBe(200);
    expect(el.getAttribute('average-order-value')).toBe('200');
    expect(text(part(el, 'verdict'))).toBe('Healthy: CLV is 4.2× CAC, target 3×.');
  });

  test('an invalid input shows its message next to the field, no result and no event', async () => {
    const seen = collect('folio-clv-change');
    const el = await mount('folio-clv-calculator');
    await retype(el, 'grossMargin', '150');
    expect(errorOf(el, 'grossMargin')).toBe('Must be at most 100%');
    expect(input(el, 'grossMargin').getAttribute('aria-invalid')).toBe('true');
    expect(part(el, 'headline')).toBeNull();
    expect(text(part(el, 'result'))).toBe('Correct the highlighted fields to see the result.');
    expect(el.result).toBeNull();
    const emitted = seen.length;
    await retype(el, 'acquisitionCost', 'x');
    expect(errorOf(el, 'acquisitionCost')).toBe('Enter a number');
    await userEvent.clear(input(el, 'ordersPerPeriod'));
    await el.updateComplete;
    expect(errorOf(el, 'ordersPerPeriod')).toBe('Required');
    // "1" and "15" were valid margins on the way to "150"; nothing after it was.
    expect(seen.length).toBe(emitted);
    expect(emitted).toBe(2);
    await expectAccessible(el);
  });

  test('the toggle switches to a retention rate, from the keyboard too', async () => {
    const seen = collect('folio-clv-change');
    const el = await mount('folio-clv-calculator');
    const [lifetime] = root(el).querySelectorAll<HTMLInputElement>('input[type=radio]');
    lifetime!.focus();
    await userEvent.keyboard('{ArrowRight}');
    await el.updateComplete;
    expect(el.basis).toBe('retention');
    expect(el.getAttribute('basis')).toBe('retention');
    expect(input(el, 'lifetimePeriods')).toBeNull();
    expect(input(el, 'retentionRate').value).toBe('80');
    expect(seen.at(-1)!.detail.expectedLifetimePeriods).toBeCloseTo(5);
    await retype(el, 'retentionRate', '100');
    expect(errorOf(el, 'retentionRate')).toBe('Must be less than 100%');
  });

  test('programmatic changes update the form and the result but never emit', async () => {
    const seen = collect('folio-clv-change');
    const el = await mount('folio-clv-calculator');
    await retype(el, 'grossMargin', '40');
    const before = seen.length;
    el.averageOrderValue = 500;
    el.setAttribute('gross-margin', '0.5');
    el.basis = 'retention';
    el.retentionRate = 0.9;
    await el.updateComplete;
    expect(input(el, 'averageOrderValue').value).toBe('500');
    expect(input(el, 'grossMargin').value).toBe('50');
    expect(input(el, 'retentionRate').value).toBe('90');
    expect(el.result!.periodMargin).toBe(250);
    expect(seen.length).toBe(before);
  });

  test('zero acquisition cost: no ratio, said in words', async () => {
    const el = await mount('folio-clv-calculator', (e) => (e.acquisitionCost = 0));
    expect(results(el)['CLV/CAC']).toBe('—');
    expect(text(part(el, 'verdict'))).toBe('No CLV/CAC ratio without an acquisition cost.');
  });

  test('a margin of zero never pays back', async () => {
    const el = await mount('folio-clv-calculator', (e) => (e.grossMargin = 0));
    expect(results(el).Payback).toBe('never');
    expect(text(part(el, 'verdict'))).toBe(
      'Losing money: a client is worth less than it costs to win.',
    );
  });

  test('names the period in the labels and durations', async () => {
    const el = await mount('folio-clv-calculator', undefined, { attrs: { period: 'year' } });
    expect(labelOf(el, 'ordersPerPeriod')).toBe('Orders per year');
    expect(labelOf(el, 'lifetimePeriods')).toBe('Lifetime, years');
    expect(results(el).Payback).toBe('10 years');
  });

  test('speaks Russian and takes a decimal comma', async () => {
    const el = await mount('folio-clv-calculator', undefined, {
      lang: 'ru',
      attrs: { currency: 'RUB' },
    });
    expect(labelOf(el, 'averageOrderValue')).toBe('Средний чек');
    expect(labelOf(el, 'ordersPerPeriod')).toBe('Заказов за месяц');
    expect(labelOf(el, 'lifetimePeriods')).toBe('Срок жизни, месяцев');
    expect(text(part(el, 'headline'))).toBe('637\u00a0₽');
    expect(results(el)['Окупаемость']).toBe('10 месяцев');
    expect(text(part(el, 'verdict'))).toBe('Ниже цели: CLV равна 2,1× CAC при цели 3×.');
    await retype(el, 'grossMargin', '12,5');
    expect(el.grossMargin).toBe(0.125);
    expect(input(el, 'grossMargin').value).toBe('12,5');
    await retype(el, 'grossMargin', '150');
    expect(errorOf(el, 'grossMargin')).toBe('Не больше 100\u00a0%');
  });

  test('has no accessibility violations', async () => {
    const el = await mount('folio-clv-calculator');
    await expectAccessible(el);
    expect(parts(el, 'input').every((i) => root(el).querySelector(`label[for=${i.id}]`))).toBe(
      true,
    );
  });
});
