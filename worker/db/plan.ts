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
 * Runs a read over ids packed as JSON (packRows): one query per ~1 MB of ids, where selectIn
 * needs one per 98. `run` gets one packed array, to read with `json_each`.
 */
export async function selectPacked<R>(
  ids: readonly string[],
  run: (json: string) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (const json of packRows(ids)) out.push(...(await run(json)));
  return out;
}

/**
 * JSON text of rows bound as one parameter. D1's 100 KB limit is on a statement's SQL text; a
 * bound value may reach 2,000,000 bytes (its string and row limit): half of that leaves room.
 */
export const MAX_JSON_BYTES = 1_000_000;

/**
 * Packs rows into JSON arrays of rows, each small enough to bind as one parameter: how a
 * statement reaches many rows with one bound parameter (read back with `json_each`), so a batch
 * needs a statement per ~1 MB of rows instead of one per 100 parameters.
 */
export function packRows(rows: readonly unknown[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    // UTF-8 takes up to 3 bytes per UTF-16 unit; plain ASCII (the usual case) takes one.
    // eslint-disable-next-line no-control-regex
    const size = /^[\x00-\x7f]*$/.test(text) ? text.length + 1 : text.length * 3 + 1;
    if (part.length > 0 && bytes + size > MAX_JSON_BYTES) {
      out.push(`[${part.join(',')}]`);
      part = [];
      bytes = 2;
    }
    part.push(text);
    bytes += size;
  }
  if (part.length > 0) out.push(`[${part.join(',')}]`);
  return out;
}

/** `value ->> 0, value ->> 1, …`: the columns of a packed row, as `json_each` yields it. */
export const packedColumns = (count: number) =>
  Array.from({ length: count }, (_, i) => `value ->> ${i}`).join(', ');

/**
 * Plans `INSERT INTO <table> (workspace_id, <columns>) … <tail>` of many rows as a few statements,
 * each binding the workspace id (?1) and one packed JSON array of rows (?2).
 */
export function packedInsert(
  db: D1Database,
  table: string,
  columns: readonly string[],
  workspaceId: string,
  rows: readonly (string | number | null)[][],
  tail = '',
): D1PreparedStatement[] {
  const sql = `INSERT INTO ${table} (workspace_id, ${columns.join(', ')})
    SELECT ?1, ${packedColumns(columns.length)} FROM json_each(?2) WHERE true ${tail}`;
  return packRows(rows).map((json) => db.prepare(sql).bind(workspaceId, json));
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
