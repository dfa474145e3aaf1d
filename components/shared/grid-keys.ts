/**
 * Where the arrow keys, Home and End (with Ctrl or Cmd: the first and last row too) move the
 * focus in a grid of `rows` × `cols` cells, as the ARIA grid pattern asks; null for other keys.
 * `has(row, col)` says whether a cell exists (a triangle has holes): moves skip to the nearest
 * existing cell in their direction, or stay.
 */
export function moveInGrid(
  at: readonly [row: number, col: number],
  key: string,
  ctrl: boolean,
  size: readonly [rows: number, cols: number],
  has: (row: number, col: number) => boolean = () => true,
): [number, number] | null {
  const [row, col] = at;
  const [rows, cols] = size;
  const firstIn = (r: number) => Array.from({ length: cols }, (_, c) => c).find((c) => has(r, c));
  const lastIn = (r: number) =>
    Array.from({ length: cols }, (_, c) => c).findLast((c) => has(r, c));
  const step = (dr: number, dc: number): [number, number] => {
    for (let r = row + dr, c = col + dc; r >= 0 && r < rows && c >= 0 && c < cols; r += dr, c += dc)
      if (has(r, c)) return [r, c];
    return [row, col];
  };
  switch (key) {
    case 'ArrowUp':
      return step(-1, 0);
    case 'ArrowDown':
      return step(1, 0);
    case 'ArrowLeft':
      return step(0, -1);
    case 'ArrowRight':
      return step(0, 1);
    case 'Home': {
      const r = ctrl ? 0 : row;
      return [r, firstIn(r) ?? col];
    }
    case 'End': {
      const r = ctrl ? rows - 1 : row;
      return [r, lastIn(r) ?? col];
    }
    default:
      return null;
  }
}
