import type { AbcXyzClient, AbcXyzResult, MatrixCell } from '../../schema/segments.ts';

export type Abc = AbcXyzClient['abc'];
export type Xyz = AbcXyzClient['xyz'];
export type { MatrixCell };

// The schema module's own arrays would drag every segment schema into the one-file bundle (its
// helpers are not marked pure), so the grid's axes are restated here; `Exhaustive` makes the
// compiler reject a list that misses or invents a class.
type Exhaustive<T, L extends readonly T[]> = [T] extends [L[number]] ? L : never;
export const ABC_CLASSES: Exhaustive<Abc, readonly ['A', 'B', 'C']> = ['A', 'B', 'C'];
export const XYZ_CLASSES: Exhaustive<Xyz, readonly ['X', 'Y', 'Z']> = ['X', 'Y', 'Z'];
export const MATRIX_CELLS = ABC_CLASSES.flatMap((a) =>
  XYZ_CLASSES.map((x): MatrixCell => `${a}${x}`),
);

/** The answer of `GET /v1/segments/abc-xyz`; older or trimmed answers may lack `cells`. */
export type AbcXyzData = Omit<AbcXyzResult, 'cells' | 'matrix'> &
  Partial<Pick<AbcXyzResult, 'cells' | 'matrix'>>;

export interface CellFigures {
  count: number;
  revenue: number;
  /** Of all classified clients, and of their revenue. */
  countShare: number;
  revenueShare: number;
}

/**
 * Counts and revenue of the nine cells: from `cells` when the API sent them, otherwise summed
 * from the client list (with `matrix` still preferred for the counts).
 */
export function cellFigures(data: AbcXyzData): Record<MatrixCell, CellFigures> {
  const sums = Object.fromEntries(MATRIX_CELLS.map((c) => [c, { count: 0, revenue: 0 }])) as Record<
    MatrixCell,
    { count: number; revenue: number }
  >;
  if (data.cells) {
    for (const c of MATRIX_CELLS)
      sums[c] = { count: data.cells[c].count, revenue: data.cells[c].revenue };
  } else {
    for (const client of data.clients) {
      const sum = sums[`${client.abc}${client.xyz}`];
      sum.count += 1;
      sum.revenue += client.revenue;
    }
    if (data.matrix) for (const c of MATRIX_CELLS) sums[c].count = data.matrix[c];
  }
  let clients = 0;
  let revenue = 0;
  for (const c of MATRIX_CELLS) {
    clients += sums[c].count;
    revenue += sums[c].revenue;
  }
  return Object.fromEntries(
    MATRIX_CELLS.map((c) => [
      c,
      {
        ...sums[c],
        countShare: clients ? sums[c].count / clients : 0,
        revenueShare: revenue ? sums[c].revenue / revenue : 0,
      },
    ]),
  ) as Record<MatrixCell, CellFigures>;
}

/** The cell an arrow key (or Home/End) leads to from `cell`, staying inside the 3×3 grid. */
export function moveFrom(cell: MatrixCell, key: string, ctrl: boolean): MatrixCell | null {
  let row = ABC_CLASSES.indexOf(cell[0] as Abc);
  let col = XYZ_CLASSES.indexOf(cell[1] as Xyz);
  switch (key) {
    case 'ArrowUp':
      row = Math.max(0, row - 1);
      break;
    case 'ArrowDown':
      row = Math.min(2, row + 1);
      break;
    case 'ArrowLeft':
      col = Math.max(0, col - 1);
      break;
    case 'ArrowRight':
      col = Math.min(2, col + 1);
      break;
    case 'Home':
      col = 0;
      if (ctrl) row = 0;
      break;
    case 'End':
      col = 2;
      if (ctrl) row = 2;
      break;
    default:
      return null;
  }
  const next: MatrixCell = `${ABC_CLASSES[row]!}${XYZ_CLASSES[col]!}`;
  return next;
}
