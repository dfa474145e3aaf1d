import { STAGES } from '../../schema/lifecycle.ts';
import type { MigrationDimension } from '../../schema/segment-migrations.ts';
import { ABC_CLASSES, RFM_PROSPECTS, XYZ_CLASSES } from '../../schema/segments.ts';

/** The class of a client with no value in the dimension (no revenue for ABC, no type…). */
export const NO_CLASS = 'none';

/**
 * One cell of a migration matrix: the clients in class `fromClass` at the end of month `from`
 * and in `toClass` at the end of `to`. A null class is the matrix's null side: not in the
 * portfolio yet (`fromClass`) or gone since (`toClass`).
 */
export interface MovedCell {
  dimension: MigrationDimension;
  from: string;
  to: string;
  fromClass: string | null;
  toClass: string | null;
}

/** The `GET /v1/clients` parameters that select a cell; an empty class is the null side. */
export interface MovedCellQuery {
  movedDimension?: MigrationDimension;
  movedFrom?: string;
  movedTo?: string;
  fromClass?: string;
  toClass?: string;
}

export const MOVED_PARAMS = [
  'movedDimension',
  'movedFrom',
  'movedTo',
  'fromClass',
  'toClass',
] as const;

export interface QueryIssue {
  path: string;
  message: string;
}

const FIXED: Partial<Record<MigrationDimension, readonly string[]>> = {
  stage: STAGES,
  abc: [...ABC_CLASSES, NO_CLASS],
  xyz: [...XYZ_CLASSES, NO_CLASS],
};

/**
 * Why `cls` can be no class of `dimension`, or null when it can. RFM classes are the workspace's
 * segments; a type class is a set of types sorted and joined by "+" as the matrix writes it, so
 * any other spelling of a set would match no client and is refused rather than answered empty.
 */
export function classIssue(
  dimension: MigrationDimension,
  cls: string,
  rfmSegments: readonly string[],
): string | null {
  const known =
    dimension === 'rfm'
      ? [...new Set([...rfmSegments, RFM_PROSPECTS, NO_CLASS])]
      : FIXED[dimension];
  if (known) return known.includes(cls) ? null : `must be one of ${known.join(', ')} (or empty)`;
  if (cls === NO_CLASS) return null;
  const types = cls.split('+');
  const sorted = types.every(
    (t, i) => t.length > 0 && t !== NO_CLASS && (i === 0 || types[i - 1]! < t),
  );
  return sorted
    ? null
    : `must be ${NO_CLASS} or a set of types sorted and joined by + (e.g. big+loyal), or empty`;
}

/**
 * The cell a list query selects, or what is wrong with it: every parameter is needed once one is
 * given, each class must be one of the dimension's, and the two sides cannot both be empty (no
 * cell is absent at both month-ends). Null when the query selects no cell.
 */
export function movedCell(
  q: MovedCellQuery,
  rfmSegments: readonly string[],
): { cell: MovedCell } | { issues: QueryIssue[] } | null {
  if (MOVED_PARAMS.every((p) => q[p] === undefined)) return null;
  const issues: QueryIssue[] = MOVED_PARAMS.filter((p) => q[p] === undefined).map((path) => ({
    path,
    message: `is required with ${MOVED_PARAMS.filter((p) => q[p] !== undefined).join(', ')}`,
  }));
  if (issues.length > 0) return { issues };
  const { movedDimension: dimension, movedFrom: from, movedTo: to } = q as Required<MovedCellQuery>;
  if (from >= to) issues.push({ path: 'movedTo', message: 'must be a later month than movedFrom' });
  for (const path of ['fromClass', 'toClass'] as const) {
    const cls = q[path]!;
    const issue = cls === '' ? null : classIssue(dimension, cls, rfmSegments);
    if (issue) issues.push({ path, message: issue });
  }
  if (q.fromClass === '' && q.toClass === '')
    issues.push({ path: 'toClass', message: 'must be a class when fromClass is empty' });
  if (issues.length > 0) return { issues };
  const side = (cls: string) => (cls === '' ? null : cls);
  return {
    cell: { dimension, from, to, fromClass: side(q.fromClass!), toClass: side(q.toClass!) },
  };
}

/** The `GET /v1/clients` address of a cell's clients, as each matrix cell carries it. */
export function movedCellList(cell: MovedCell): string {
  const query = Object.entries({
    movedDimension: cell.dimension,
    movedFrom: cell.from,
    movedTo: cell.to,
    fromClass: cell.fromClass ?? '',
    toClass: cell.toClass ?? '',
  }).map(([k, value]) => `${k}=${encodeURIComponent(value)}`);
  return `/v1/clients?${query.join('&')}`;
}
