import { deriveClient } from '../../core/lifecycle/derive.ts';
import { stagesAsOf } from '../../core/lifecycle/stages.ts';
import * as v from 'valibot';
import { type MovedCell, movedCell } from '../../core/segments/migration-cells.ts';
import { ClientListQuerySchema, ClientSchema, ClientUpsertSchema } from '../../schema/clients.ts';
import { IdSchema } from '../../schema/common.ts';
import { ClientHistorySchema, HistoryQuerySchema } from '../../schema/lifecycle.ts';
import { MigrationPendingSchema } from '../../schema/segment-migrations.ts';
import type { WorkspaceRow } from '../db/workspaces.ts';
import { SECRET, WIDGET } from '../auth.ts';
import {
  type ClientRow,
  getClient,
  listClassifiedClients,
  listClients,
  listClientsSorted,
  stagesAt,
  upsertClientStatements,
} from '../db/clients.ts';
import { currentSnapshot } from '../db/snapshots.ts';
import { listMovedClients, migrationCells } from '../db/class-migrations.ts';
import { clientEvents } from '../db/events.ts';
import { withRetry } from '../db/retry.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { eraseClientStatements } from '../erasure.ts';
import { ApiError } from '../problem.ts';
import { endOfMonth, monthEndPair, monthEndsPending } from '../month-ends.ts';
import { clientProfile } from '../profile.ts';
import { ClientProfileSchema } from '../../schema/profile.ts';
import { classifiedPortfolio } from '../segmentation.ts';
import { sleepRuleFor } from '../value.ts';
import { json, route } from '../route.ts';

/** The page's clients with their stage now. */
async function withStages(db: D1Database, workspaceId: string, rows: ClientRow[], now: string) {
  const stages = await stagesAt(
    db,
    workspaceId,
    rows.map((r) => r.id),
    now,
  );
  return rows.map(({ version: _v, ...c }) => ({
    ...c,
    stage: stages.get(c.id)?.stage ?? null,
    stageSince: stages.get(c.id)?.since ?? null,
  }));
}

type ListQuery = v.InferOutput<typeof ClientListQuerySchema>;

/** The filters a migration cell's list does not combine with (the cell is its own filter). */
const OTHER_FILTERS = ['stage', 'type', 'abc', 'xyz', 'rfm', 'manager'] as const;

/**
 * The clients of one migration cell, a page at a time, read from the two month-end snapshots the
 * matrix compares (started, with a 202, when missing, as the matrix does).
 */
async function movedClientsPage(
  env: Env,
  ws: WorkspaceRow,
  cell: MovedCell,
  query: ListQuery,
  now: string,
) {
  const errors: { path: string; message: string }[] = OTHER_FILTERS.filter(
    (f) => query[f] !== undefined,
  ).map((path) => ({
    path,
    message: 'must be left out with movedDimension (a migration cell is its own filter)',
  }));
  if (query.sort !== 'id')
    errors.push({ path: 'sort', message: 'must be id (or left out) with movedDimension' });
  if (endOfMonth(cell.to) > now)
    errors.push({ path: 'movedTo', message: 'must be a month that has ended' });
  if (errors.length > 0) throw new ApiError(400, 'Invalid migration cell', { errors });
  const pair = await monthEndPair(env.DB, env.SNAPSHOTS, ws, cell, now);
  if ('pending' in pair) return monthEndsPending(pair.pending);
  const snapshots = { from: pair.earlier.id, to: pair.later.id };
  // The kept cells (counted once per pair) say when a cell is empty: then no class is walked,
  // since walking the later class to find no one new in it would read the whole class.
  const cells = await migrationCells(
    env.DB,
    ws.id,
    snapshots.from,
    snapshots.to,
    cell.dimension,
    now,
  );
  if (!cells.some((c) => c.from === cell.fromClass && c.to === cell.toClass))
    return { data: [], nextCursor: null };
  const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
  // A month-end computed again is a new snapshot: cursors of the old one are refused.
  const scope = `clients-moved:${JSON.stringify([snapshots, cell])}`;
  const afterId = query.cursor ? await decodeCursor(secret, ws.id, scope, query.cursor) : '';
  const page = await listMovedClients(env.DB, ws.id, snapshots, cell, {
    afterId,
    limit: query.limit,
  });
  const last = page.rows.at(-1);
  return {
    data: await withStages(env.DB, ws.id, page.rows, now),
    nextCursor: page.hasMore && last ? await encodeCursor(secret, ws.id, scope, last.id) : null,
  };
}

const notFound = (id: string) =>
  new ApiError(404, `No client ${JSON.stringify(id)} in this workspace`);

const ClientPageSchema = v.object({
  data: v.array(ClientSchema),
  nextCursor: v.nullable(v.string()),
});
const params = { id: IdSchema };
const exampleClient = {
  id: 'acme',
  name: 'Acme Ltd',
  attributes: {
    channel: 'referral',
    industry: 'manufacturing',
    region: 'EU',
    size: 'large',
    manager: 'olga',
  },
  tags: ['key-account'],
  manualTypes: ['status'],
  acquisitionCost: 300,
  createdAt: '2024-01-03T10:00:00.000Z',
  updatedAt: '2024-02-01T00:00:00.000Z',
  stage: 'developing',
  stageSince: '2024-02-01T00:00:00.000Z',
};

export const clientRoutes = [
  route({
    method: 'PUT',
    path: '/v1/clients/:id',
    access: SECRET,
    summary: 'Create or update a client; fields left out keep their values',
    params,
    body: ClientUpsertSchema,
    responses: { 200: ClientSchema, 201: ClientSchema },
    examples: {
      body: {
        name: 'Acme Ltd',
        attributes: {
          channel: 'referral',
          industry: 'manufacturing',
          region: 'EU',
          size: 'large',
          manager: 'olga',
        },
        tags: ['key-account'],
        manualTypes: ['status'],
        acquisitionCost: 300,
      },
      response: exampleClient,
    },
    async handle({ env, auth, now, params, body }) {
      const id = params.id;
      const existing = await getClient(env.DB, auth.workspace.id, id);
      const merged = {
        id,
        name: body.name ?? existing?.name ?? null,
        attributes: body.attributes ?? existing?.attributes ?? {},
        tags: body.tags ?? existing?.tags ?? [],
        manualTypes: body.manualTypes ?? existing?.manualTypes ?? [],
        acquisitionCost: body.acquisitionCost ?? existing?.acquisitionCost ?? null,
        updatedAt: now,
      };
      await withRetry(() =>
        env.DB.batch(upsertClientStatements(env.DB, auth.workspace.id, merged, now)),
      );
      const stage = (await stagesAt(env.DB, auth.workspace.id, [id], now)).get(id);
      return json(
        {
          ...merged,
          createdAt: existing?.createdAt ?? now,
          stage: stage?.stage ?? null,
          stageSince: stage?.since ?? null,
        },
        { status: existing ? 200 : 201 },
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients/:id',
    access: WIDGET,
    summary: "A client's profile: stage, types with reasons, segments and value",
    params,
    responses: { 200: ClientProfileSchema },
    widgetScope: { clientParam: 'id' },
    async handle({ env, auth, now, params }) {
      const id = params.id;
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      return clientProfile(env.DB, auth.workspace, client, now);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients',
    access: SECRET,
    summary:
      'List clients, optionally by stage or type, or a migration cell, with cursor pagination',
    description:
      'Keyset pagination by client id: pass `nextCursor` back as `cursor` until it is null. Clients added while you page appear at most once. A cursor works only for the workspace and filters it came from (else 400). `movedDimension`, `movedFrom`, `movedTo`, `fromClass` and `toClass` together list the clients of one cell of `GET /v1/segments/migrations` (each cell gives this address as `list`): in class `fromClass` at the end of month `movedFrom` and in `toClass` at the end of `movedTo`, an empty class being the null side (`fromClass=`: not a client yet). Such a list reads the month-end snapshots, answers `202` with `Retry-After` while they are computed as the matrix does, and takes no other filter.',
    query: ClientListQuerySchema,
    responses: { 200: ClientPageSchema, 202: MigrationPendingSchema },
    examples: { response: { data: [exampleClient], nextCursor: null } },
    async handle({ env, auth, now, query }) {
      const ws = auth.workspace;
      const rfmSegments = ws.settings.segments.rfm.rules.map((r) => r.segment);
      const moved = movedCell(query, rfmSegments);
      if (moved && 'issues' in moved)
        throw new ApiError(400, 'Invalid migration cell', { errors: moved.issues });
      if (moved) return movedClientsPage(env, ws, moved.cell, query, now);
      const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
      const byClass = query.abc !== undefined || query.xyz !== undefined || query.rfm !== undefined;
      const filtered = byClass || query.type !== undefined || query.stage || query.manager;
      if (query.sort !== 'id' && filtered)
        throw new ApiError(400, 'A filtered list is in id order', {
          errors: [{ path: 'sort', message: 'must be id (or left out) when the list is filtered' }],
        });
      const snap =
        byClass || query.type !== undefined ? await currentSnapshot(env.DB, ws.id) : null;
      if (byClass && !snap)
        throw new ApiError(
          409,
          'No snapshot of the classes yet: start one with POST /v1/snapshots',
        );
      const filters = {
        abc: query.abc,
        xyz: query.xyz,
        rfm: query.rfm,
        type: query.type,
        stage: query.stage,
        manager: query.manager,
      };
      const scope = `clients:${snap?.id ?? ''}:${JSON.stringify(filters)}:${query.sort}`;
      const position = query.cursor ? await decodeCursor(secret, ws.id, scope, query.cursor) : null;
      const afterId = position ?? '';
      if (query.sort !== 'id') {
        const page = await listClientsSorted(env.DB, ws.id, query.sort, position, query.limit);
        return {
          data: await withStages(env.DB, ws.id, page.rows, now),
          nextCursor: page.next ? await encodeCursor(secret, ws.id, scope, page.next) : null,
        };
      }
      if (query.type !== undefined && !snap) {
        // Before the first snapshot, the type filter classifies the whole portfolio on the spot.
        const { snapshots, types } = await classifiedPortfolio(env.DB, ws, now);
        const matching = snapshots.filter(
          (s) =>
            s.id > afterId &&
            (!query.stage || s.stage === query.stage) &&
            (query.manager === undefined || s.attributes.manager === query.manager) &&
            types.get(s.id)?.some((t) => t.type === query.type),
        );
        const data = matching
          .slice(0, query.limit)
          .map(({ aggregates: _a, periods: _p, ...c }) => c);
        const last = data.at(-1);
        return {
          data,
          nextCursor:
            matching.length > query.limit && last
              ? await encodeCursor(secret, ws.id, scope, last.id)
              : null,
        };
      }
      const page = snap
        ? await listClassifiedClients(env.DB, ws.id, snap.id, filters, {
            afterId,
            limit: query.limit,
            asOf: now,
          })
        : await listClients(env.DB, ws.id, {
            afterId,
            limit: query.limit,
            stage: query.stage,
            manager: query.manager,
            asOf: now,
          });
      const last = page.rows.at(-1);
      return {
        data: await withStages(env.DB, ws.id, page.rows, now),
        nextCursor: page.hasMore && last ? await encodeCursor(secret, ws.id, scope, last.id) : null,
      };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/clients/:id',
    access: SECRET,
    summary: 'Erase a client with all its events and everything derived from them',
    description:
      "Erasure, in one atomic step: the client, its events and every derived row go; other clients' referral events forget whom they referred; widget sessions scoped to the client end. See SECURITY.md.",
    params,
    responses: { 204: null },
    async handle({ env, auth, params }) {
      const id = params.id;
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      await withRetry(() => env.DB.batch(eraseClientStatements(env.DB, auth.workspace.id, id)));
      return new Response(null, { status: 204 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients/:id/history',
    access: SECRET,
    summary: "A client's stage timeline with its milestones",
    params,
    query: HistoryQuerySchema,
    responses: { 200: ClientHistorySchema },
    async handle({ env, auth, now, params, query }) {
      const id = params.id;
      const asOf = query.asOf ?? now;
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      const { events } = await clientEvents(env.DB, auth.workspace.id, id);
      const settings = auth.workspace.settings.lifecycle;
      const derived = deriveClient(
        events,
        settings,
        await sleepRuleFor(env.DB, auth.workspace.id, auth.workspace.settings),
      );
      const clipped = stagesAsOf(derived.stages, asOf);
      return {
        clientId: id,
        model: settings.model,
        asOf,
        stage: clipped.stage,
        stages: clipped.spells,
        milestones: derived.milestones.filter((m) => m.at <= asOf),
      };
    },
  }),
];
