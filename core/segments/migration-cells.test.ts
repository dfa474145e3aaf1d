import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS } from '../../schema/segments.ts';
import { classIssue, movedCell, movedCellList } from './migration-cells.ts';

const cell = {
  movedDimension: 'abc',
  movedFrom: '2024-03',
  movedTo: '2024-06',
  fromClass: 'A',
  toClass: 'B',
} as const;
const pathsOf = (q: Parameters<typeof movedCell>[0]) => {
  const out = movedCell(q, RFM_SEGMENTS);
  return out && 'issues' in out ? out.issues.map((i) => i.path) : [];
};

describe('a migration cell in a client list query', () => {
  it('is no filter without its parameters, and needs all five once one is given', () => {
    expect(movedCell({}, RFM_SEGMENTS)).toBeNull();
    expect(pathsOf({ movedFrom: '2024-03' })).toEqual([
      'movedDimension',
      'movedTo',
      'fromClass',
      'toClass',
    ]);
    expect(pathsOf({ ...cell, movedDimension: undefined })).toEqual(['movedDimension']);
  });

  it('reads an empty class as the null side, but not on both sides', () => {
    expect(movedCell({ ...cell, fromClass: '' }, RFM_SEGMENTS)).toEqual({
      cell: { dimension: 'abc', from: '2024-03', to: '2024-06', fromClass: null, toClass: 'B' },
    });
    expect(pathsOf({ ...cell, fromClass: '', toClass: '' })).toEqual(['toClass']);
  });

  it('names a later month that is not later, and a class the dimension does not have', () => {
    expect(pathsOf({ ...cell, movedFrom: '2024-06' })).toEqual(['movedTo']);
    expect(pathsOf({ ...cell, fromClass: 'X', toClass: 'none' })).toEqual(['fromClass']);
    expect(pathsOf({ ...cell, movedDimension: 'stage', fromClass: 'none' })).toEqual([
      'fromClass',
      'toClass',
    ]);
  });

  it('knows each dimension’s classes: stages, ABC/XYZ with none, the workspace’s RFM segments, sorted sets of types', () => {
    expect(classIssue('stage', 'developed', RFM_SEGMENTS)).toBeNull();
    expect(classIssue('xyz', 'none', RFM_SEGMENTS)).toBeNull();
    expect(classIssue('rfm', 'champions', RFM_SEGMENTS)).toBeNull();
    expect(classIssue('rfm', 'prospects', ['mine'])).toBeNull();
    expect(classIssue('rfm', 'champions', ['mine'])).toMatch(/mine, prospects, none/);
    expect(classIssue('type', 'none', RFM_SEGMENTS)).toBeNull();
    expect(classIssue('type', 'golden+partner', RFM_SEGMENTS)).toBeNull();
    for (const bad of ['partner+golden', 'golden+golden', 'golden+', '+golden', 'golden+none'])
      expect(classIssue('type', bad, RFM_SEGMENTS)).toMatch(/sorted and joined by \+/);
  });

  it('has the list address each matrix cell carries, null sides empty and classes encoded', () => {
    expect(
      movedCellList({
        dimension: 'type',
        from: '2024-03',
        to: '2024-06',
        fromClass: null,
        toClass: 'golden+partner',
      }),
    ).toBe(
      '/v1/clients?movedDimension=type&movedFrom=2024-03&movedTo=2024-06&fromClass=&toClass=golden%2Bpartner',
    );
  });
});
