import Database from 'better-sqlite3';
// The D1 binding's type, as a module import: the benchmarks run in Node, without the Workers globals.
import type { D1Database } from '@cloudflare/workers-types';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The D1 binding's API over better-sqlite3, in-process: lets the benchmarks run the very same
 * worker code against plain SQLite, which is the floor that D1 in workerd is compared with.
 */
export function sqliteD1(
  file = ':memory:',
  { migrate = true } = {},
): D1Database & { raw: Database.Database } {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const dir = path.join(import.meta.dirname, '..', 'schema', 'migrations');
  if (migrate)
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort())
      raw.exec(readFileSync(path.join(dir, f), 'utf8'));

  const cache = new Map<string, Database.Statement>();
  const rewrites = new Map<string, { text: string; order: number[] }>();
  const rewrite = (sql: string) => {
    let r = rewrites.get(sql);
    if (!r) {
      const order: number[] = [];
      const text = sql.replace(/\?(\d+)/g, (_, n: string) => (order.push(Number(n)), '?'));
      r = { text, order };
      rewrites.set(sql, r);
    }
    return r;
  };
  const statement = (sql: string, params: unknown[] = []): any => {
    // D1 numbers its parameters ?1, ?2… and may use one twice; better-sqlite3 binds plain `?`
    // positionally, so the numbers are turned into positions (cached per SQL text).
    const { text, order } = rewrite(sql);
    const stmt = cache.get(text) ?? cache.set(text, raw.prepare(text)).get(text)!;
    params = order.length > 0 ? order.map((n) => params[n - 1]) : params;
    const run = () => {
      if (stmt.reader) {
        const rows = stmt.all(...params) as Record<string, unknown>[];
        return { results: rows, success: true, meta: { rows_read: rows.length, rows_written: 0 } };
      }
      const info = stmt.run(...params);
      return { results: [], success: true, meta: { rows_read: 0, rows_written: info.changes } };
    };
    return {
      bind: (...values: unknown[]) => statement(sql, values),
      all: async () => run(),
      run: async () => run(),
      first: async (col?: string) => {
        const row: Record<string, unknown> | null = run().results[0] ?? null;
        return row && col ? row[col] : row;
      },
      raw: async () => run().results.map((r) => Object.values(r)),
      _run: run,
    };
  };
  const db = {
    raw,
    prepare: (sql: string) => statement(sql),
    batch: async (statements: { _run: () => unknown }[]) =>
      raw.transaction(() => statements.map((s) => s._run()))(),
    exec: async (sql: string) => raw.exec(sql),
    dump: async () => new ArrayBuffer(0),
    withSession: () => db,
  };
  return db as unknown as D1Database & { raw: Database.Database };
}

/**
 * The local D1 file of the control database (binding DB, also the `primary` data database) under
 * a `wrangler dev --persist-to` directory. wrangler.toml binds two databases, so the state holds
 * two SQLite files with hashed names: the control one is the file whose `workspaces` table has
 * rows. The benchmarks create their workspaces with `database: 'primary'`, so their data is there.
 */
export function findPrimarySqlite(dir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.sqlite') && !p.includes('metadata')) files.push(p);
    }
  };
  walk(dir);
  for (const file of files) {
    const db = new Database(file, { readonly: true });
    try {
      const row = db.prepare('SELECT COUNT(*) AS n FROM workspaces').get() as { n: number };
      if (row.n > 0) return file;
    } catch {
      // Not migrated yet, or not a D1 file: not the one.
    } finally {
      db.close();
    }
  }
  return '';
}
