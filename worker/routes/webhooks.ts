import {
  DeliveryIdSchema,
  DeliveryListQuerySchema,
  DeliveryPageSchema,
  DeliverySchema,
  type Webhook,
  WebhookCreatedSchema,
  WebhookCreateSchema,
  WebhookIdSchema,
  WebhookListSchema,
  WebhookSchema,
} from '../../schema/webhooks.ts';
import { SECRET } from '../auth.ts';
import { randomToken } from '../crypto.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { withRetry } from '../db/retry.ts';
import {
  deleteWebhookStatements,
  getWebhook,
  insertWebhookStatement,
  listDeliveries,
  listWebhooks,
  requeueDeliveryStatement,
  type WebhookRow,
} from '../db/webhooks.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';
import { newWebhookSecret } from '../webhook-sign.ts';
import { webhookUrlProblem } from '../webhook-url.ts';

const publicView = (w: WebhookRow): Webhook => ({
  id: w.id,
  url: w.url,
  events: w.events,
  createdAt: w.createdAt,
});

const notFound = (id: string) =>
  new ApiError(404, `No webhook ${JSON.stringify(id)} in this workspace`);

async function webhookOr404(db: D1Database, workspaceId: string, id: string) {
  const w = await getWebhook(db, workspaceId, id);
  if (!w) throw notFound(id);
  return w;
}

const params = { id: WebhookIdSchema };

const example: Webhook = {
  id: 'wh_Q2s9xLk4Tb1m',
  url: 'https://crm.example.com/hooks/clientfolio',
  events: ['client.stage_changed'],
  createdAt: '2026-11-30T09:00:00.000Z',
};
const deliveryExample = {
  id: 'msg_1764493200000a1b2c3d4e5f60718',
  webhookId: example.id,
  type: 'client.stage_changed',
  status: 'delivered',
  createdAt: '2026-11-30T09:00:00.000Z',
  finishedAt: '2026-11-30T09:00:05.312Z',
  payload: {
    type: 'client.stage_changed',
    timestamp: '2026-11-30T09:00:00.000Z',
    data: {
      clientId: 'acme',
      previous: 'developed',
      current: 'sleeping',
      at: '2026-11-30T00:00:00.000Z',
    },
  },
  attempts: [
    { attempt: 1, at: '2026-11-30T09:00:00.200Z', status: 503, error: 'HTTP 503', durationMs: 41 },
    { attempt: 2, at: '2026-11-30T09:00:05.290Z', status: 204, error: null, durationMs: 22 },
  ],
};

export const webhookRoutes = [
  route({
    method: 'POST',
    path: '/v1/webhooks',
    access: SECRET,
    summary: 'Subscribe a URL to events; the signing secret is shown in this answer only',
    description:
      'Deliveries follow Standard Webhooks (standardwebhooks.com): a JSON body `{ type, timestamp, data: { clientId, previous, current, at } }` with the headers `webhook-id` (the same on every retry), `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the secret’s key). A receiver answering 2xx ends a delivery; anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (8 attempts), then the delivery is `failed`. ' +
      '`client.stage_changed` fires when a write changes a client’s current stage and when the clock passes a transition no write caused (a client falling asleep; announced by the sweep, hourly for workspaces with webhooks). `client.types_changed` (previous and current type lists) and `portfolio.mono_client` (previous and current: whether the client is a mono-client) are relative to the whole portfolio and announced by the nightly run. ' +
      'The URL must be https and not a private or internal address; in local development (`npm start`) http://127.0.0.1 and http://localhost are allowed too.',
    body: WebhookCreateSchema,
    responses: { 201: WebhookCreatedSchema },
    idempotent: true,
    examples: {
      body: { url: example.url, events: example.events },
      response: { ...example, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    },
    async handle({ env, auth, db, now, body }) {
      const problem = webhookUrlProblem(body.url, env.ENVIRONMENT);
      if (problem)
        throw new ApiError(400, `The webhook URL is refused: it ${problem}`, {
          errors: [{ path: 'url', message: problem }],
        });
      const row: WebhookRow = {
        id: `wh_${randomToken(9)}`,
        url: body.url,
        events: body.events,
        secret: newWebhookSecret(),
        createdAt: now,
      };
      await withRetry(() => insertWebhookStatement(db, auth.workspace.id, row).run());
      return json({ ...publicView(row), secret: row.secret }, { status: 201 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks',
    access: SECRET,
    summary: "The workspace's webhooks, without their secrets",
    responses: { 200: WebhookListSchema },
    examples: { response: { data: [example] } },
    async handle({ auth, db }) {
      return { data: (await listWebhooks(db, auth.workspace.id)).map(publicView) };
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/:id',
    access: SECRET,
    summary: 'One webhook, without its secret',
    params,
    responses: { 200: WebhookSchema },
    examples: { response: example },
    async handle({ auth, db, params }) {
      return publicView(await webhookOr404(db, auth.workspace.id, params.id));
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    access: SECRET,
    summary: 'Unsubscribe: no more deliveries, and the delivery log goes with it',
    params,
    responses: { 204: null },
    async handle({ auth, db, params }) {
      await webhookOr404(db, auth.workspace.id, params.id);
      await withRetry(() => db.batch(deleteWebhookStatements(db, auth.workspace.id, params.id)));
      return new Response(null, { status: 204 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries',
    access: SECRET,
    summary: 'The delivery log, newest first: each message with every attempt and its answer',
    description:
      '`status`: `pending` (not yet handed to the queue), `queued` (on its way or waiting for a retry), `delivered` (a 2xx) or `failed` (8 attempts without a 2xx). Keyset-paginated: pass `nextCursor` back as `cursor`.',
    params,
    query: DeliveryListQuerySchema,
    responses: { 200: DeliveryPageSchema },
    examples: { response: { data: [deliveryExample], nextCursor: null } },
    async handle({ env, auth, db, params, query }) {
      await webhookOr404(db, auth.workspace.id, params.id);
      const secret = env.ADMIN_TOKEN ?? 'clientfolio-dev';
      const scope = `webhook-deliveries:${params.id}`;
      const beforeId = query.cursor
        ? await decodeCursor(secret, auth.workspace.id, scope, query.cursor)
        : null;
      const page = await listDeliveries(db, auth.workspace.id, params.id, {
        beforeId,
        limit: query.limit,
      });
      const last = page.deliveries.at(-1);
      return {
        data: page.deliveries,
        nextCursor:
          page.hasMore && last
            ? await encodeCursor(secret, auth.workspace.id, scope, last.id)
            : null,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/resend',
    access: SECRET,
    summary: 'Send a message again, with the same `webhook-id`, and a fresh run of 8 attempts',
    params: { id: WebhookIdSchema, deliveryId: DeliveryIdSchema },
    body: null,
    responses: { 202: DeliverySchema },
    examples: { response: { ...deliveryExample, status: 'pending', finishedAt: null } },
    async handle({ auth, db, params }) {
      await webhookOr404(db, auth.workspace.id, params.id);
      const moved = await withRetry(() =>
        requeueDeliveryStatement(db, auth.workspace.id, params.id, params.deliveryId).first(),
      );
      if (!moved)
        throw new ApiError(404, `No delivery ${JSON.stringify(params.deliveryId)} of this webhook`);
      const page = await listDeliveries(db, auth.workspace.id, params.id, {
        beforeId: null,
        limit: 1,
        id: params.deliveryId,
      });
      return json(page.deliveries[0], { status: 202 });
    },
  }),
];
