import { canSee, managerOf, type Viewer, viewerOf } from '../../core/actions/access.ts';
import {
  deriveActions,
  pageAfter,
  parseActionId,
  positionOf,
  selectActions,
} from '../../core/actions/engine.ts';
import { type ClientFacts, gatherFacts } from '../../core/actions/facts.ts';
import { managerOverview, managerOverviewOf } from '../../core/actions/managers.ts';
import {
  type ActionDoneBody,
  ActionDoneBodySchema,
  ActionDoneResultSchema,
  ActionIdSchema,
  type ActionItem,
  ActionListQuerySchema,
  ActionListSchema,
  ManagersQuerySchema,
  ManagersResultSchema,
} from '../../schema/actions.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { Access, AuthContext } from '../auth.ts';
import { sha256Hex } from '../crypto.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { getClient, loadAllSnapshots } from '../db/clients.ts';
import { loadReviewDates } from '../db/dossier.ts';
import { managerClientCounts, snapshotKeyClients } from '../db/managers.ts';
import { currentSnapshot } from '../db/snapshots.ts';
import { clientEvents } from '../db/events.ts';
import type { WorkspaceRow } from '../db/workspaces.ts';
import { ingestEvents } from '../ingest.ts';
import { ApiError } from '../problem.ts';
import { route } from '../route.ts';

/** The work list is read by servers, by a manager's restricted key and by widgets (narrowed to a session's manager or client). */
const WORK_LIST = { keys: ['secret', 'publishable', 'restricted'] } as const satisfies Access;
/** Writing, and reading the key-account picture: a secret key, or a restricted key for its managers' clients. */
export const KEY_ACCOUNT = { keys: ['secret', 'restricted'] } as const satisfies Access;

export const viewerFor = (auth: AuthContext): Viewer =>
  viewerOf(
    { kind: auth.key.kind, scope: auth.key.scope, session: auth.session },
    auth.workspace.settings.actions.supervisors,
  );

/** A client the caller may not see answers exactly like a client that does not exist. */
export const clientNotFound = (id: string) =>
  new ApiError(404, `No client ${JSON.stringify(id)} in this workspace`);

/** Everything the rules read, for the whole workspace (key clients and mono-clients are relative to all of it). */
async function workspaceFacts(
  db: D1Database,
  workspace: WorkspaceRow,
  asOf: string,
): Promise<ClientFacts[]> {
  const [snapshots, reviews] = await Promise.all([
    loadAllSnapshots(db, workspace.id, asOf),
    loadReviewDates(db, workspace.id),
  ]);
  const s = workspace.settings;
  return gatherFacts(
    snapshots,
    { segments: s.segments, model: s.lifecycle.model, actions: s.actions },
    reviews,
    asOf,
  );
}

/**
 * The managers' overview now without reading every client: clients per manager from the segment
 * rollups, key clients from the latest finished snapshot's types. Null before the first snapshot
 * (the caller then classifies on the spot).
 */
async function overviewFromRollups(db: D1Database, workspace: WorkspaceRow, asOf: string) {
  const snapshot = await currentSnapshot(db, workspace.id);
  if (snapshot === null) return null;
  const [clients, keys] = await Promise.all([
    managerClientCounts(db, workspace.id),
    snapshotKeyClients(db, workspace.id, snapshot.id),
  ]);
  const byManager = new Map<string, { id: string; name: string | null }[]>(
    [...clients.keys()].map((m) => [m, []]),
  );
  const unassigned: { id: string; name: string | null }[] = [];
  for (const k of keys) {
    const ref = { id: k.id, name: k.name };
    if (k.manager === null) unassigned.push(ref);
    else byManager.set(k.manager, [...(byManager.get(k.manager) ?? []), ref]);
  }
  return managerOverviewOf({ byManager, clients, unassigned }, workspace.settings.actions, asOf);
}

const cursorSecret = (env: Env) => env.ADMIN_TOKEN ?? 'clientfolio-dev';

const example: ActionItem = {
  id: 'keep_cadence:2026-03-11:acme',
  kind: 'keep_cadence',
  clientId: 'acme',
  clientName: 'Acme Trade',
  manager: 'anna',
  priority: 1,
  dueAt: '2026-03-11T09:30:00.000Z',
  openedAt: '2026-03-11T09:30:00.000Z',
  overdueDays: 2,
  canMarkDone: true,
  reason: {
    code: 'keep_cadence',
    params: { daysSinceContact: 12, lastContactAt: '2026-03-01T09:30:00.000Z', doneAt: null },
    text: 'No positive contact for 12 days (last on Mar 1, 2026)',
    rule: {
      code: 'rule_keep_cadence',
      params: { days: 10 },
      text: 'A key client needs a positive contact at least every 10 days',
    },
    signals: [
      {
        code: 'key_revenue_share',
        params: { share: 0.342, threshold: 0.1 },
        text: '34.2% of revenue (key from 10%)',
      },
    ],
  },
};

/** An item marked done, found again by its id among the client's done marks. */
async function findDone(db: D1Database, workspaceId: string, clientId: string, id: string) {
  const { events } = await clientEvents(db, workspaceId, clientId);
  return (
    events
      .filter(
        (e): e is Extract<ClientEvent, { type: 'action_done' }> =>
          e.type === 'action_done' && e.actionId === id,
      )
      .at(-1) ?? null
  );
}

export const actionRoutes = [
  route({
    method: 'GET',
    path: '/v1/actions',
    access: WORK_LIST,
    widgetScope: 'filtered',
    summary: 'The work list: what to do next for which client, and why',
    description:
      'Items are derived from the clients at `asOf`, never stored: wake sleeping clients, win back lost ones, follow up near-clients and qualified leads, re-check deferred interest, keep the 10-day contact cadence of key clients, respect the 14-day pause after a negative contact, review key-client dossiers every 90 days, one touch per month for loyal clients, reduce a mono-client, review bad clients, ask loyal clients and fans for referrals, assign a manager to every key client and rebalance managers holding more than 3 key clients. Every threshold is a setting under `actions`. A restricted key (`rk_…`) sees its manager’s clients (or its supervisor’s managers’ clients); a widget session scoped to a manager or a client sees theirs. Mark an item done with `POST /v1/actions/{id}/done`.',
    query: ActionListQuerySchema,
    responses: { 200: ActionListSchema },
    examples: {
      response: {
        asOf: '2026-03-13T09:30:00.000Z',
        currency: 'EUR',
        data: [example],
        total: 1,
        nextCursor: null,
      },
    },
    async handle({ env, auth, db, now, query }) {
      const asOf = query.asOf ?? now;
      const items = deriveActions(
        await workspaceFacts(db, auth.workspace, asOf),
        auth.workspace.settings.actions,
        asOf,
      );
      const selected = selectActions(items, {
        kinds: query.kind,
        clientId: query.clientId,
        manager: query.manager,
        dueBefore: query.dueBefore,
        viewer: viewerFor(auth),
      });
      const scope = `actions:${JSON.stringify([query.kind ?? null, query.clientId ?? null, query.manager ?? null, query.dueBefore ?? null, query.asOf ?? null])}`;
      const position = query.cursor
        ? await decodeCursor(cursorSecret(env), auth.workspace.id, scope, query.cursor)
        : null;
      const { page, hasMore } = pageAfter(selected, position, query.limit);
      const last = page.at(-1);
      return {
        asOf,
        currency: auth.workspace.settings.currency,
        data: page,
        total: selected.length,
        nextCursor:
          hasMore && last
            ? await encodeCursor(cursorSecret(env), auth.workspace.id, scope, positionOf(last))
            : null,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/actions/:id/done',
    access: KEY_ACCOUNT,
    summary: 'Mark a work-list item done: records an action_done event',
    description:
      'The item must be on the list at `at` (default: now). It then leaves the list until its rule fires anew: the next period for the once-per-period rules, the cadence or repeat interval after the day it was done for the others. Marking the same item again answers `duplicate: true` and stores nothing. Items about a manager (`rebalance_manager`) clear themselves once key clients are reassigned and cannot be marked.',
    params: { id: ActionIdSchema },
    body: ActionDoneBodySchema,
    responses: { 200: ActionDoneResultSchema },
    errors: { 409: 'The item is about a manager (rebalance_manager) and clears itself' },
    examples: {
      body: { note: 'Called the CFO; lunch booked for Friday' } satisfies ActionDoneBody,
    },
    async handle({ auth, db, now, params, body }) {
      const id = params.id;
      const { kind, subject } = parseActionId(id)!;
      if (kind === 'rebalance_manager')
        throw new ApiError(
          409,
          'A rebalance_manager item clears itself once the manager holds few enough key clients; there is nothing to mark',
        );
      const client = await getClient(db, auth.workspace.id, subject);
      if (!client || !canSee(viewerFor(auth), client.id, managerOf(client.attributes)))
        throw clientNotFound(subject);
      const at = body.at ?? now;
      if (at > now)
        throw new ApiError(400, 'Invalid at', {
          errors: [{ path: 'at', message: 'must not be in the future' }],
        });

      const open = deriveActions(
        await workspaceFacts(db, auth.workspace, at),
        auth.workspace.settings.actions,
        at,
      ).some((i) => i.id === id);
      if (!open) {
        const done = await findDone(db, auth.workspace.id, client.id, id);
        if (done)
          return {
            id,
            kind,
            clientId: client.id,
            doneAt: done.at,
            eventId: done.id,
            duplicate: true,
          };
        throw new ApiError(
          404,
          `No open action ${JSON.stringify(id)}: it is not on the work list at ${at}`,
        );
      }
      const eventId = `done_${(await sha256Hex(`${id}\n${at}`)).slice(0, 40)}`;
      const event: ClientEvent = {
        id: eventId,
        clientId: client.id,
        type: 'action_done',
        at,
        actionKind: kind,
        actionId: id,
        ...(body.note !== undefined && { note: body.note }),
      };
      await ingestEvents(db, auth.workspace.id, auth.workspace.settings, [event], { now });
      return { id, kind, clientId: client.id, doneAt: at, eventId, duplicate: false };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/managers',
    access: KEY_ACCOUNT,
    summary:
      'Key-account managers: their clients and key clients, their supervisor, and who holds too many',
    description:
      'A manager is the value of the client attribute `manager`; supervisors come from the setting `actions.supervisors` (supervisor → managers). Without `asOf`, clients per manager come from rollups kept with every write and key clients from the latest finished snapshot (`POST /v1/snapshots`, hourly by default), so the request does not read every client; with `asOf`, or before the first snapshot, key clients are classified on the spot. A manager holding more than `actions.rules.rebalance_manager.maxKeyClients` (default 3) key clients is warned about, and so is a key client without a manager. A restricted key sees its own managers only.',
    query: ManagersQuerySchema,
    responses: { 200: ManagersResultSchema },
    async handle({ auth, db, now, query }) {
      const asOf = query.asOf ?? now;
      const overview =
        (query.asOf === undefined && (await overviewFromRollups(db, auth.workspace, asOf))) ||
        managerOverview(
          await workspaceFacts(db, auth.workspace, asOf),
          auth.workspace.settings.actions,
          asOf,
        );
      const viewer = viewerFor(auth);
      if (viewer.kind === 'all') return overview;
      const seen = (m: string | undefined) => m !== undefined && canSee(viewer, null, m);
      return {
        ...overview,
        managers: overview.managers.filter((m) => seen(m.manager)),
        unassignedKeyClients: [],
        warnings: overview.warnings.filter((w) => seen(w.manager)),
      };
    },
  }),
];
