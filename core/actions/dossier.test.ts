import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DossierBodySchema } from '../../schema/dossier.ts';
import { dossierView } from './dossier.ts';

const { reviewedAt: _r, ...content } = v.parse(DossierBodySchema, {
  relationship: [
    { criterion: 'Responsiveness', score: 4 },
    { criterion: 'Price', score: 2 },
    { criterion: 'Quality', score: 3 },
  ],
  qualification: {
    need: { met: true },
    abilityToPay: { met: true, note: 'paid on time for 2 years' },
    authority: {},
  },
});
const stored = {
  content,
  reviewedAt: '2025-01-01T00:00:00.000Z',
  createdAt: '2024-06-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('dossierView', () => {
  it('shows where to develop: the distance from 4 per criterion, largest first', () => {
    const d = dossierView('c1', stored, '2025-02-01T00:00:00.000Z', 90);
    expect(d.relationshipScore).toEqual({
      average: 3,
      max: 4,
      gaps: [
        { criterion: 'Price', score: 2, gap: 2 },
        { criterion: 'Quality', score: 3, gap: 1 },
        { criterion: 'Responsiveness', score: 4, gap: 0 },
      ],
    });
    expect(d.qualificationMet).toBe(2);
    expect(d.qualification.authority).toEqual({ met: null });
  });

  it.each([
    ['the day before the review falls due', '2025-03-31T00:00:00.000Z', false],
    ['the day it falls due (90 days)', '2025-04-01T00:00:00.000Z', true],
    ['the day after', '2025-04-02T00:00:00.000Z', true],
  ])('%s', (_label, asOf, due) => {
    const d = dossierView('c1', stored, asOf, 90);
    expect(d.reviewDueAt).toBe('2025-04-01T00:00:00.000Z');
    expect(d.reviewDue).toBe(due);
  });

  it('an empty dossier has no average', () => {
    const { reviewedAt: _x, ...empty } = v.parse(DossierBodySchema, {});
    expect(
      dossierView('c1', { ...stored, content: empty }, '2025-02-01T00:00:00.000Z', 90),
    ).toMatchObject({
      relationshipScore: { average: null, gaps: [] },
      qualificationMet: 0,
      needs: [],
      business: '',
    });
  });
});
