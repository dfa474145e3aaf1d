/** D1 binds at most 100 parameters per statement (and 100 KB of SQL text and values). */
export const MAX_BOUND_PARAMETERS = 100;
export const MAX_STATEMENT_BYTES = 90_000;

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Value = string | number | null;

/**
 * Plans a multi-row INSERT into as few statements as the limits allow: each statement binds at
 * most 100 parameters (reserving `fixed` for leading ones such as the workspace id) and stays
 * under the statement size limit.
 */
export function planInsert(
  db: D1Database,
  head: string,
  columns: number,
  rows: readonly Value[][],
  tail = '',
): D1PreparedStatement[] {
  const perStatement = Math.floor(MAX_BOUND_PARAMETERS / columns);
  const statements: D1PreparedStatement[] = [];
  let batch: Value[][] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const placeholders = batch
      .map(
        (_, r) =>
          `(${Array.from({ length: columns }, (_, c) => `?${r * columns + c + 1}`).join(', ')})`,
      )
      .join(', ');
    statements.push(
      db.prepare(`${head} VALUES ${placeholders}${tail ? ` ${tail}` : ''}`).bind(...batch.flat()),
    );
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    const size = row.reduce<number>(
      (n, value) => n + (typeof value === 'string' ? value.length * 3 : 8),
      0,
    );
    if (batch.length >= perStatement || (batch.length > 0 && bytes + size > MAX_STATEMENT_BYTES))
      flush();
    batch.push(row);
    bytes += size;
  }
  flush();
  return statements;
}

/** `?2, ?3, …` for an IN list following `offset` leading parameters. */
export const placeholders = (count: number, offset = 1) =>
  Array.from({ length: count }, (_, i) => `?${i + offset + 1}`).join(', ');

/** Runs a read over ids in chunks that respect the bound-parameter limit. */
export async function selectIn<R>(
  ids: readonly string[],
  leading: number,
  run: (chunkIds: string[], list: string) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (const part of chunk(ids, MAX_BOUND_PARAMETERS - leading))
    out.push(...(await run(part, placeholders(part.length, leading))));
  return out;
}

/**
 * Many rows in few statements: each statement gets its rows as one JSON array parameter (read
 * with `json_each`), as many rows as fit in the statement size limit. `sql(p)` is the statement,
 * with `p` the placeholder of the array; `leading` are bound before it (`?1`…).
 */
export function planJsonRows(
  db: D1Database,
  sql: (param: string) => string,
  leading: readonly Value[],
  rows: readonly Value[][],
): D1PreparedStatement[] {
  const param = `?${leading.length + 1}`;
  const text = sql(param);
  const statements: D1PreparedStatement[] = [];
  let parts: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (parts.length === 0) return;
    statements.push(db.prepare(text).bind(...leading, `[${parts.join(',')}]`));
    parts = [];
    bytes = 0;
  };
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length > 0 && bytes + json.length * 3 > MAX_STATEMENT_BYTES - text.length) flush();
    parts.push(json);
    bytes += json.length * 3 + 1;
  }
  flush();
  return statements;
}
