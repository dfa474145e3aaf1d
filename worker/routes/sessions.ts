import {
  WidgetSessionCreateSchema,
  type WidgetSession,
  WidgetSessionSchema,
} from '../../schema/keys.ts';
import { SECRET, SESSION_PREFIX } from '../auth.ts';
import { getClient } from '../db/clients.ts';
import { withRetry } from '../db/retry.ts';
import { insertSessionStatement, purgeExpiredSessionsStatement } from '../db/sessions.ts';
import { randomToken, sha256Hex } from '../crypto.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';

export const sessionRoutes = [
  route({
    method: 'POST',
    path: '/v1/widget-sessions',
    access: SECRET,
    summary:
      'Mint a short-lived widget token (wst_…) that components send in place of a publishable key',
    description:
      "Stripe's embedded-components pattern: your server, holding the secret key, mints a token for one page view and hands it to the browser. " +
      'The token reads what a publishable key reads, from the same allowed origins, until it expires (15 minutes unless `ttlSeconds` says otherwise, at most 24 hours). ' +
      'With `scope: { clientId }` it reads only that client (any other client is 404, portfolio-wide reads are 403); with `scope: { manager }` only clients whose `attributes.manager` is that manager. ' +
      'Revoking the secret key that minted it ends it at once.',
    tags: ['keys'],
    body: WidgetSessionCreateSchema,
    responses: { 201: WidgetSessionSchema },
    errors: { 404: '`scope.clientId` names no client of this workspace' },
    idempotent: true,
    examples: {
      body: { ttlSeconds: 900, scope: { clientId: 'acme' } },
      response: {
        id: 'wss_bW9ja2VkX2lk',
        token: 'wst_mG2rT8kQ0zN4yV6pL1xC3bJ5hF7d',
        expiresAt: '2026-03-01T09:45:00.000Z',
        scope: { clientId: 'acme' },
      },
    },
    async handle({ env, auth, db, now, body }) {
      const { scope } = body;
      const clientId = scope && 'clientId' in scope ? scope.clientId : null;
      const manager = scope && 'manager' in scope ? scope.manager : null;
      if (clientId !== null && !(await getClient(db, auth.workspace.id, clientId))) {
        throw new ApiError(404, `No client ${JSON.stringify(clientId)} in this workspace`, {
          errors: [{ path: 'scope.clientId', message: 'names no client of this workspace' }],
        });
      }
      const token = `${SESSION_PREFIX}${randomToken(24)}`;
      const row = {
        id: `wss_${randomToken(9)}`,
        workspaceId: auth.workspace.id,
        keyId: auth.key.id,
        manager,
        clientId,
        createdAt: now,
        expiresAt: new Date(Date.parse(now) + body.ttlSeconds * 1000).toISOString(),
      };
      const hash = await sha256Hex(token);
      await withRetry(() =>
        env.DB.batch([
          purgeExpiredSessionsStatement(env.DB, auth.workspace.id, now),
          insertSessionStatement(env.DB, row, hash),
        ]),
      );
      const answer: WidgetSession = {
        id: row.id,
        token,
        expiresAt: row.expiresAt,
        scope: { ...(manager !== null && { manager }), ...(clientId !== null && { clientId }) },
      };
      return json(answer, { status: 201 });
    },
  }),
];
