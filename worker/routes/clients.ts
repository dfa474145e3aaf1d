import { deriveClient } from '../../core/lifecycle/derive.ts';
import { stagesAsOf } from '../../core/lifecycle/stages.ts';
import { ClientListQuerySchema, ClientUpsertSchema } from '../../schema/clients.ts';
import { IdSchema } from '../../schema/common.ts';
import { HistoryQuerySchema } from '../../schema/lifecycle.ts';
import { SECRET, WIDGET } from '../auth.ts';
import { deleteClientStatements, getClient, listClients, stagesAt, upsertClientStatement } from '../db/clients.ts';
import { clientEvents } from '../db/events.ts';
import { withRetry } from '../db/retry.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { ApiError } from '../problem.ts';
import { clientProfile } from '../profile.ts';
import { json, route } from '../route.ts';
import { parseJson, parseQuery, pathId } from '../validate.ts';

const notFound = (id: string) => new ApiError(404, `No client ${JSON.stringify(id)} in this workspace`);

export const clientRoutes = [
  route({
    method: 'PUT',
    path: '/v1/clients/:id',
    access: SECRET,
    summary: 'Create or update a client; fields left out keep their values',
    async handle({ request, env, auth, now }) {
      const id = pathId(request, 'id', IdSchema);
      const body = await parseJson(request, ClientUpsertSchema);
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
      await withRetry(() => upsertClientStatement(env.DB, auth.workspace.id, merged, now).run());
      const stage = (await stagesAt(env.DB, auth.workspace.id, [id], now)).get(id);
      return json(
        { ...merged, createdAt: existing?.createdAt ?? now, stage: stage?.stage ?? null, stageSince: stage?.since ?? null },
        { status: existing ? 200 : 201 },
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients/:id',
    access: WIDGET,
    summary: "A client's profile: stage, types with reasons, segments and value",
    async handle({ request, env, auth, now }) {
      const id = pathId(request, 'id', IdSchema);
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      return clientProfile(env.DB, auth.workspace, client, now);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients',
    access: SECRET,
    summary: 'List clients, optionally by stage or type, with cursor pagination',
    async handle({ request, env, auth, now }) {
      const query = parseQuery(request, ClientListQuerySchema);
      const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
      const scope = `clients:${query.stage ?? ''}:${query.type ?? ''}`;
      const afterId = query.cursor ? await decodeCursor(secret, auth.workspace.id, scope, query.cursor) : '';
      const page = await listClients(env.DB, auth.workspace.id, { afterId, limit: query.limit, stage: query.stage, asOf: now });
      const stages = await stagesAt(env.DB, auth.workspace.id, page.rows.map((r) => r.id), now);
      const data = page.rows.map(({ version: _v, ...c }) => ({ ...c, stage: stages.get(c.id)?.stage ?? null, stageSince: stages.get(c.id)?.since ?? null }));
      const last = page.rows.at(-1);
      return { data, nextCursor: page.hasMore && last ? await encodeCursor(secret, auth.workspace.id, scope, last.id) : null };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/clients/:id',
    access: SECRET,
    summary: 'Erase a client with all its events and everything derived from them',
    async handle({ request, env, auth }) {
      const id = pathId(request, 'id', IdSchema);
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      await withRetry(() => env.DB.batch(deleteClientStatements(env.DB, auth.workspace.id, id)));
      return new Response(null, { status: 204 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/clients/:id/history',
    access: SECRET,
    summary: "A client's stage timeline with its milestones",
    async handle({ request, env, auth, now }) {
      const id = pathId(request, 'id', IdSchema);
      const { asOf = now } = parseQuery(request, HistoryQuerySchema);
      const client = await getClient(env.DB, auth.workspace.id, id);
      if (!client) throw notFound(id);
      const { events } = await clientEvents(env.DB, auth.workspace.id, id);
      const settings = auth.workspace.settings.lifecycle;
      const derived = deriveClient(events, settings);
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

