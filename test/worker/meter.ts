import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../worker/index.ts';

/**
 * A D1 binding that adds up `meta.rows_read` of every statement run through it (batches
 * included). `first()` runs as `all()` so that its meta is seen too.
 */
export function meteredD1(db: D1Database) {
  let rowsRead = 0;
  /** Rows read per SQL text, to see which statement costs what. */
  const bySql = new Map<string, number>();
  const sqlOf = new WeakMap<object, string>();
  const count = <R extends { meta: D1Meta }>(r: R, sql = '?') => {
    rowsRead += r.meta.rows_read ?? 0;
    bySql.set(sql, (bySql.get(sql) ?? 0) + (r.meta.rows_read ?? 0));
    return r;
  };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const w = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values), sql),
      all: async () => count(await stmt.all(), sql),
      run: async () => count(await stmt.run(), sql),
      raw: () => {
        throw new Error('raw() is not metered');
      },
      first: async (column?: string) => {
        const row = count(await stmt.all<Record<string, unknown>>(), sql).results[0] ?? null;
        return column === undefined ? row : (row?.[column] ?? null);
      },
    } as unknown as D1PreparedStatement;
    real.set(w, stmt);
    sqlOf.set(w, sql);
    return w;
  };
  const metered = {
    prepare: (sql: string) => wrap(db.prepare(sql), sql),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await db.batch(statements.map((s) => real.get(s) ?? s));
      results.forEach((r, i) => count(r, sqlOf.get(statements[i]!)));
      return results;
    },
    exec: () => {
      throw new Error('exec() is not metered');
    },
  } as unknown as D1Database;
  return {
    db: metered,
    get rowsRead() {
      return rowsRead;
    },
    bySql,
  };
}

/** Calls the Worker with a metered D1 binding: the answer and the rows it read. */
export async function meteredCall(path: string, key: string) {
  const meter = meteredD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
    { ...env, DB: meter.db },
    ctx,
  );
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, rowsRead: meter.rowsRead, bySql: meter.bySql };
}
