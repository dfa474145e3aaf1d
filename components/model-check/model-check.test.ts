import { afterEach, describe, expect, test } from 'vitest';
import type { ModelDiagnostics } from '../../schema/value.ts';
import {
  cleanup,
  expectAccessible,
  json,
  mount,
  part,
  problem,
  root,
  stubFetch,
  text,
} from '../shared/testing.ts';
import './folio-model-check.ts';

afterEach(cleanup);

const bins = ['0', '1', '2', '3', '4', '5', '6', '7+'] as const;
const diagnostics: ModelDiagnostics = {
  model: 'pnbd',
  timeUnit: 'week',
  calibrationEnd: '1997-10-01T00:00:00.000Z',
  end: '1998-07-01T00:00:00.000Z',
  histogram: bins.map((frequency, k) => ({ frequency, actual: 1411 >> k, expected: 1400 >> k })),
  holdout: {
    length: 39,
    bins: bins.map((frequency, k) => ({
      frequency,
      customers: 1411 >> k,
      actual: 300 - 10 * k,
      expected: 290 - 10 * k,
    })),
  },
  tracking: {
    start: '1997-01-01T00:00:00.000Z',
    calibrationEndWeek: 3,
    weeks: [1, 2, 3, 4].map((week) => ({ week, actual: 100 * week, expected: 95 * week })),
  },
};

describe('<folio-model-check>', () => {
  test('draws the three checks, actual beside model, with the calibration end marked', async () => {
    const el = await mount('folio-model-check', (e) => (e.data = diagnostics));
    const histogram = part(el, 'histogram')!;
    expect(histogram.querySelectorAll('rect.actual')).toHaveLength(8);
    expect(histogram.querySelectorAll('rect.model')).toHaveLength(8);
    // The tallest bar is the zero bin's 1,411 customers: the full height of the plot area.
    expect(Number(histogram.querySelector('rect.actual')!.getAttribute('height'))).toBe(52);
    const tracking = part(el, 'tracking')!;
    expect(tracking.querySelectorAll('polyline')).toHaveLength(2);
    // Week 3 of 4 is the calibration's last: two thirds across.
    expect(Number(tracking.querySelector('line.cut')!.getAttribute('x1'))).toBeCloseTo(66.67, 1);
    expect(el.shadowRoot!.querySelector('[style]')).toBeNull();
  });

  test('carries each figure’s numbers in a table, with the bin sizes of the holdout', async () => {
    const el = await mount('folio-model-check', (e) => (e.data = diagnostics));
    const row = (name: string) =>
      [...part(el, name)!.querySelectorAll('tbody tr')[0]!.children].map((c) => text(c));
    expect(row('histogram')).toEqual(['0', '1,411', '1,400']);
    expect(row('holdout')).toEqual(['0', '1,411', '300', '290']);
    expect(row('tracking')).toEqual(['1', '100', '95']);
    await expectAccessible(el);
  });

  test('fetches the diagnostics with the key and shows the API’s problem', async () => {
    const spy = stubFetch(() => json(diagnostics));
    const el = await mount('folio-model-check', (e) => {
      e.apiBase = 'https://api.example';
      e.key = 'sk_test';
      e.end = '1998-07-01';
    });
    await el.dataComplete;
    expect(spy.mock.calls[0]![0] as string).toBe(
      'https://api.example/v1/clv/model/diagnostics?end=1998-07-01',
    );
    expect(part(el, 'histogram')).not.toBeNull();
    stubFetch(() => problem(404, 'Not Found', 'No model has been fitted'));
    const failing = await mount('folio-model-check', (e) => {
      e.apiBase = 'https://api.example';
      e.key = 'sk_test';
    });
    await failing.dataComplete;
    expect(text(root(failing).querySelector('[part=error]'))).toMatch(/No model has been fitted/);
  });
});
