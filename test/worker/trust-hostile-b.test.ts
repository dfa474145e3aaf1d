import { expect, it } from 'vitest';
import { routes } from '../../worker/routes/index.ts';
import { runHostileShare } from './trust-hostile.ts';

// Second share of the corpus (seed 2); see trust-hostile-a.test.ts.
it('refuses 5,100 malformed requests over every route with 4xx problems and changes nothing', async () => {
  const { sent, families } = await runHostileShare(2, 5100);
  expect(sent).toBeGreaterThanOrEqual(5100);
  for (const family of [
    'value',
    'syntax',
    'surrogate',
    'deep',
    'content-type',
    'segment',
    'query',
    'method',
    'auth',
    'oversize',
  ])
    expect(families.get(family), family).toBeGreaterThan(0);
  expect(routes.length).toBeGreaterThan(10);
}, 120_000);
