/**
 * Who sees which clients' work-list items and dossiers. A secret key sees the workspace; a
 * restricted key (`rk_…`) sees the clients of the manager it was issued for, or of the managers its
 * supervisor supervises; a widget session scoped to a manager or a client sees that manager's or
 * that client's. The team structure is read at request time, so moving a manager to another
 * supervisor takes effect without issuing new keys.
 */

export type Viewer =
  | { kind: 'all' }
  | { kind: 'managers'; managers: ReadonlySet<string> }
  | { kind: 'client'; clientId: string };

export interface Caller {
  kind: 'secret' | 'publishable' | 'restricted';
  /** A restricted key's scope as stored: `{ manager }`, `{ supervisor }` or `{ supervisorOf: [...] }`. */
  scope: Record<string, unknown>;
  /** A widget session's limits, when the caller holds one. */
  session?: { manager: string | null; clientId: string | null } | undefined;
}

const nonEmpty = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

export function viewerOf(
  caller: Caller,
  supervisors: Readonly<Record<string, readonly string[]>>,
): Viewer {
  if (caller.kind === 'secret') return { kind: 'all' };
  if (caller.kind === 'publishable') {
    const s = caller.session;
    if (s?.clientId) return { kind: 'client', clientId: s.clientId };
    if (s?.manager) return { kind: 'managers', managers: new Set([s.manager]) };
    return { kind: 'all' };
  }
  const { manager, supervisor, supervisorOf } = caller.scope;
  if (nonEmpty(manager)) return { kind: 'managers', managers: new Set([manager]) };
  // A supervisor may hold clients of their own, so their own name counts as one of their managers.
  if (nonEmpty(supervisor))
    return {
      kind: 'managers',
      managers: new Set([
        supervisor,
        ...(Object.hasOwn(supervisors, supervisor) ? supervisors[supervisor]! : []),
      ]),
    };
  if (Array.isArray(supervisorOf))
    return { kind: 'managers', managers: new Set(supervisorOf.filter(nonEmpty)) };
  // A restricted key without a usable scope sees nothing rather than everything.
  return { kind: 'managers', managers: new Set() };
}

/** The manager named by a client's `manager` attribute, or null when it names none. */
export function managerOf(attributes: Readonly<Record<string, unknown>>): string | null {
  const m = attributes.manager;
  if (typeof m === 'string') return m.trim() === '' ? null : m;
  return typeof m === 'number' ? String(m) : null;
}

/** Whether the viewer may see a client (or, with `clientId` null, an item about `manager` itself). */
export function canSee(viewer: Viewer, clientId: string | null, manager: string | null): boolean {
  switch (viewer.kind) {
    case 'all':
      return true;
    case 'client':
      return clientId !== null && clientId === viewer.clientId;
    case 'managers':
      return manager !== null && viewer.managers.has(manager);
  }
}

/** The supervisor of each manager, from the settings' supervisor → managers map. */
export function supervisorOf(
  supervisors: Readonly<Record<string, readonly string[]>>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [supervisor, managers] of Object.entries(supervisors))
    for (const m of managers) out.set(m, supervisor);
  return out;
}
