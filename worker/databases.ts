import * as v from 'valibot';
import { DATABASE_NAMES, type DatabaseName, DatabaseNameSchema } from '../schema/workspaces.ts';
import { getWorkspaceDatabase } from './db/workspaces.ts';

/**
 * Where a workspace's data lives (docs/scaling.md, *Workspaces across databases*). The control
 * database (`env.DB`) keeps workspaces and their placement, keys, widget sessions, idempotency
 * records and job runs; every table of client data is read and written on the workspace's own
 * data database, one of these bindings. `DB` doubles as the first data database.
 */
const BINDING_OF = {
  primary: 'DB',
  secondary: 'DB_2',
} as const satisfies Record<DatabaseName, keyof Env>;

/** The bindings this module reads: enough for queue consumers and tests to pass a partial env. */
export type DataBindings = Pick<Env, (typeof BINDING_OF)[DatabaseName]>;

/** The data database of that name. */
export const dataDatabase = (env: DataBindings, name: DatabaseName): D1Database =>
  env[BINDING_OF[name]];

/** Every data database with its name, in the order of DATABASE_NAMES (placement's tie-break). */
export const dataDatabases = (env: DataBindings): { name: DatabaseName; db: D1Database }[] =>
  DATABASE_NAMES.map((name) => ({ name, db: dataDatabase(env, name) }));

/**
 * Default placement: the database with the fewest workspaces, the first of DATABASE_NAMES on a
 * tie. Workspace count, not size: it only decides where new workspaces go, and an operator who
 * knows a tenant is large names its database in `POST /v1/workspaces`.
 */
export function leastUsed(counts: ReadonlyMap<string, number>): DatabaseName {
  let best: DatabaseName = DATABASE_NAMES[0];
  for (const name of DATABASE_NAMES)
    if ((counts.get(name) ?? 0) < (counts.get(best) ?? 0)) best = name;
  return best;
}

/**
 * The data database of a workspace, looked up in the control database: for work that arrives
 * without a request's authentication (queue messages name only the workspace). Null when the
 * workspace does not exist or names no bound database.
 */
export async function workspaceDatabase(
  env: DataBindings,
  workspaceId: string,
): Promise<D1Database | null> {
  const parsed = v.safeParse(DatabaseNameSchema, await getWorkspaceDatabase(env.DB, workspaceId));
  return parsed.success ? dataDatabase(env, parsed.output) : null;
}
