import type { Client } from '../schema/clients.ts';
import type { ClientRow } from './db/clients.ts';
import { loadSnapshots } from './db/clients.ts';
import { clientEvents } from './db/events.ts';
import type { WorkspaceRow } from './db/workspaces.ts';

const RECENT_EVENTS = 10;

/**
 * The profile of one client: what it is (stage, types with reasons, classes) and what it is
 * worth, read from the maintained aggregates plus its last few events.
 */
export async function clientProfile(db: D1Database, workspace: WorkspaceRow, client: ClientRow, now: string) {
  const [[snapshot], recent] = await Promise.all([
    loadSnapshots(db, workspace.id, [client], now),
    clientEvents(db, workspace.id, client.id, { limit: RECENT_EVENTS, newestFirst: true }),
  ]);
  const s = snapshot!;
  const a = s.aggregates;
  const base: Client = { id: s.id, name: s.name, attributes: s.attributes, tags: s.tags, manualTypes: s.manualTypes, acquisitionCost: s.acquisitionCost, createdAt: s.createdAt, updatedAt: s.updatedAt, stage: s.stage, stageSince: s.stageSince };
  return {
    ...base,
    currency: workspace.settings.currency,
    types: s.manualTypes.map((type) => ({ type, source: 'manual' as const, reasons: ['set by hand'] })),
    rfm: null,
    abc: null,
    xyz: null,
    clv: {
      historicClv: a.revenue,
      historicMargin: a.margin,
      orders: a.orders,
      averageOrderValue: a.orders > 0 ? Math.round((a.revenue / a.orders) * 100) / 100 : null,
    },
    aggregates: a,
    recentEvents: recent.events,
  };
}
