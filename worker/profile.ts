import type { Client } from '../schema/clients.ts';
import type { ClientProfile } from '../schema/profile.ts';
import { qualifyLead } from '../core/actions/qualify.ts';
import type { ClientRow } from './db/clients.ts';
import { loadSnapshots } from './db/clients.ts';
import { clientEvents } from './db/events.ts';
import type { WorkspaceRow } from './db/workspaces.ts';
import { classifyClient } from '../core/segments/client-types.ts';
import { classesFor, typeContextFor } from './segmentation.ts';
import { clientValue } from '../core/value/predict.ts';
import { getModel } from './db/value.ts';

const RECENT_EVENTS = 10;

/**
 * The profile of one client: what it is (stage, types with reasons, classes) and what it is
 * worth, read from the maintained aggregates plus its last few events.
 */
export async function clientProfile(
  db: D1Database,
  workspace: WorkspaceRow,
  client: ClientRow,
  now: string,
): Promise<ClientProfile> {
  const [[snapshot], recent, context, classes, model] = await Promise.all([
    loadSnapshots(db, workspace.id, [client], now),
    clientEvents(db, workspace.id, client.id, { limit: RECENT_EVENTS, newestFirst: true }),
    typeContextFor(db, workspace, now),
    classesFor(db, workspace, now),
    getModel(db, workspace.id),
  ]);
  const s = snapshot!;
  const a = s.aggregates;
  const base: Client = {
    id: s.id,
    name: s.name,
    attributes: s.attributes,
    tags: s.tags,
    manualTypes: s.manualTypes,
    acquisitionCost: s.acquisitionCost,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    stage: s.stage,
    stageSince: s.stageSince,
  };
  return {
    ...base,
    currency: workspace.settings.currency,
    types: classifyClient(s, context),
    rfm: classes.rfm.get(s.id) ?? null,
    abc: classes.abc.get(s.id)?.abc ?? null,
    xyz: classes.abc.get(s.id)?.xyz ?? null,
    clv: clientValue({
      id: s.id,
      aggregates: a,
      asOf: now,
      model,
      settings: workspace.settings.value,
    }),
    lead: qualifyLead(s.attributes, a, workspace.settings.actions.leads),
    aggregates: a,
    recentEvents: recent.events,
  };
}
