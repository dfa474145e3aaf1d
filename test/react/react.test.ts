import { createElement as h, createRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { afterEach, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { Funnel } from '../../schema/lifecycle.ts';
import '../../components/clientfolio.ts';

const funnel: Funnel = {
  model: 'portfolio',
  asOf: '2025-03-01T00:00:00.000Z',
  from: '2025-02-01T00:00:00.000Z',
  to: '2025-03-01T00:00:00.000Z',
  total: 30,
  stages: (['prospect', 'potential', 'developing'] as const).map((stage, i) => ({
    stage,
    label: stage,
    count: 10,
    entered: 10,
    reached: 30 - i * 10,
    conversionToNext: i < 2 ? 0.5 : null,
    cumulativeConversion: 1,
    medianDays: 5,
    cumulativeMedianDays: 5,
  })),
};

let unmount = () => {};
afterEach(() => {
  unmount();
  document.body.replaceChildren();
});

function render(node: unknown): HTMLElement {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  flushSync(() => root.render(node));
  unmount = () => root.unmount();
  return container;
}

test('inside a React 19 root: data goes in as a property, folio-* events come out through on… props and refs', async () => {
  const fromProp: unknown[] = [];
  const fromRef: unknown[] = [];
  const funnelRef = createRef<HTMLElementTagNameMap['folio-stage-funnel']>();
  const calculatorRef = createRef<HTMLElementTagNameMap['folio-clv-calculator']>();
  const container = render(
    h(
      'div',
      { lang: 'en' },
      h('folio-stage-funnel', {
        ref: funnelRef,
        data: funnel,
        layout: 'horizontal',
        'onfolio-stage-select': (e: CustomEvent) => fromProp.push(e.detail),
      }),
      h('folio-clv-calculator', {
        ref: calculatorRef,
        averageOrderValue: 200,
        'gross-margin': '0.5',
      }),
    ),
  );
  const el = funnelRef.current!;
  // React 19 set a property, not an attribute holding "[object Object]".
  expect(el.data).toBe(funnel);
  expect(el.hasAttribute('data')).toBe(false);
  await el.updateComplete;
  el.addEventListener('folio-stage-select', (e) => fromRef.push(e.detail));
  await userEvent.click(el.shadowRoot!.querySelectorAll<HTMLElement>('[part=stage]')[1]!);
  expect(fromProp).toEqual([{ stage: 'potential' }]);
  expect(fromRef).toEqual([{ stage: 'potential' }]);

  const calculator = calculatorRef.current!;
  await calculator.updateComplete;
  expect(calculator.averageOrderValue).toBe(200);
  expect(calculator.grossMargin).toBe(0.5);
  expect(calculator.result!.periodMargin).toBe(100);
  expect(container.querySelectorAll('folio-stage-funnel, folio-clv-calculator')).toHaveLength(2);
});

test('React re-rendering with new data updates the element without emitting events', async () => {
  const seen: unknown[] = [];
  const ref = createRef<HTMLElementTagNameMap['folio-stage-funnel']>();
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  unmount = () => root.unmount();
  const draw = (total: number) =>
    flushSync(() =>
      root.render(
        h('folio-stage-funnel', {
          ref,
          data: { ...funnel, total },
          'onfolio-stage-select': (e: CustomEvent) => seen.push(e),
        }),
      ),
    );
  draw(30);
  draw(99);
  await ref.current!.updateComplete;
  expect(ref.current!.shadowRoot!.querySelector('[part=summary]')!.textContent).toMatch(
    /^99 clients/,
  );
  expect(seen).toEqual([]);
});
