import { describe, expect, it } from 'vitest';
import { quarterStart } from './cohorts.ts';

describe('quarterStart', () => {
  it('is the first month of the quarter of a month, and empty for empty', () => {
    expect(quarterStart('2024-01')).toBe('2024-01');
    expect(quarterStart('2024-03')).toBe('2024-01');
    expect(quarterStart('2024-05')).toBe('2024-04');
    expect(quarterStart('2024-09')).toBe('2024-07');
    expect(quarterStart('2024-12')).toBe('2024-10');
    expect(quarterStart('0999-11')).toBe('0999-10');
    expect(quarterStart('')).toBe('');
  });
});
