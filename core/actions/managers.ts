import type { ActionSettings, ManagersResult } from '../../schema/actions.ts';
import { supervisorOf } from './access.ts';
import type { ClientFacts } from './facts.ts';

type ClientRef = { id: string; name: string | null };

/** Key clients per manager, and the key clients nobody manages. */
export function keyClientsByManager(facts: readonly ClientFacts[]): {
  byManager: Map<string, ClientRef[]>;
  clients: Map<string, number>;
  unassigned: ClientRef[];
} {
  const byManager = new Map<string, ClientRef[]>();
  const clients = new Map<string, number>();
  const unassigned: ClientRef[] = [];
  for (const f of facts) {
    const ref = { id: f.snapshot.id, name: f.snapshot.name };
    if (f.manager !== null) {
      clients.set(f.manager, (clients.get(f.manager) ?? 0) + 1);
      if (!byManager.has(f.manager)) byManager.set(f.manager, []);
    }
    if (!f.key) continue;
    if (f.manager === null) unassigned.push(ref);
    else byManager.get(f.manager)!.push(ref);
  }
  return { byManager, clients, unassigned };
}

/**
 * The key-account picture (docs/domain.md 5): every manager with their clients and key clients, their
 * supervisor, and the warnings (a manager over the limit, a key client without a manager). Managers
 * named only in the team settings are listed with no clients.
 */
export function managerOverview(
  facts: readonly ClientFacts[],
  settings: ActionSettings,
  asOf: string,
): ManagersResult {
  return managerOverviewOf(keyClientsByManager(facts), settings, asOf);
}

/**
 * The same overview from its parts: clients per manager and the key clients per manager (read
 * from rollups and the latest snapshot, or counted from every client's facts).
 */
export function managerOverviewOf(
  {
    byManager,
    clients,
    unassigned,
  }: {
    byManager: ReadonlyMap<string, ClientRef[]>;
    clients: ReadonlyMap<string, number>;
    unassigned: ClientRef[];
  },
  settings: ActionSettings,
  asOf: string,
): ManagersResult {
  const max = settings.rules.rebalance_manager.maxKeyClients;
  const supervisor = supervisorOf(settings.supervisors);
  const names = [...new Set([...byManager.keys(), ...supervisor.keys()])].sort();
  const managers = names.map((manager) => {
    const keys = byManager.get(manager) ?? [];
    return {
      manager,
      supervisor: supervisor.get(manager) ?? null,
      clients: clients.get(manager) ?? 0,
      keyClients: keys,
      overloaded: keys.length > max,
    };
  });
  const warnings: ManagersResult['warnings'] = [
    ...managers
      .filter((m) => m.overloaded)
      .map((m) => ({
        code: 'manager_overloaded' as const,
        params: { manager: m.manager, keyClients: m.keyClients.length, maxKeyClients: max },
        manager: m.manager,
      })),
    ...unassigned.map((c) => ({
      code: 'key_client_unassigned' as const,
      params: { client: c.name ?? c.id },
      clientId: c.id,
    })),
  ];
  return { asOf, maxKeyClients: max, managers, unassignedKeyClients: unassigned, warnings };
}
