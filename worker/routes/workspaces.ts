import { defaultSettings } from '../../schema/settings.ts';
import {
  WorkspaceCreatedSchema,
  WorkspaceCreateSchema,
  WorkspacePatchSchema,
  WorkspaceSchema,
} from '../../schema/workspaces.ts';
import { SECRET } from '../auth.ts';
import { randomToken } from '../crypto.ts';
import { leastUsed } from '../databases.ts';
import { insertKeyStatement } from '../db/keys.ts';
import {
  insertWorkspaceStatements,
  updateWorkspaceStatements,
  workspacesPerDatabase,
} from '../db/workspaces.ts';
import { mintKey } from '../keys.ts';
import { json, route } from '../route.ts';

export const workspaceRoutes = [
  route({
    method: 'POST',
    path: '/v1/workspaces',
    access: 'admin',
    summary: 'Create a workspace and its first secret and publishable keys (shown once)',
    description:
      'The workspace is placed on one of the data databases: the one named by `database`, or by default the one with the fewest workspaces (the first on a tie). Its data stays there; keys and sessions live in the control database.',
    body: WorkspaceCreateSchema,
    responses: { 201: WorkspaceCreatedSchema },
    idempotent: true,
    examples: {
      body: {
        name: 'Northwind Trading',
        allowedOrigins: ['https://intranet.northwind.example'],
        settings: { currency: 'EUR' },
      },
      response: {
        id: 'ws_q1W2e3R4t5Y6',
        name: 'Northwind Trading',
        allowedOrigins: ['https://intranet.northwind.example'],
        database: 'primary',
        secretKey: 'sk_9dF3kLm2Qp8Zx1Vb7Nc4Tr6Hy0Ws',
        publishableKey: 'pk_2Gh5Jk8Lm1Nb4Vc7Xz0Qw3Er6Ty9U',
      },
    },
    async handle({ env, now, body }) {
      const settings = body.settings ?? defaultSettings();
      const id = `ws_${randomToken(12)}`;
      const secret = await mintKey(id, 'secret', now, { label: 'initial secret key' });
      const publishable = await mintKey(id, 'publishable', now, {
        label: 'initial publishable key',
      });
      const allowedOrigins = [...new Set(body.allowedOrigins)];
      // Two creations at once may both pick the same database: placement only needs to be roughly even.
      const database = body.database ?? leastUsed(await workspacesPerDatabase(env.DB));
      await env.DB.batch([
        ...insertWorkspaceStatements(env.DB, {
          id,
          name: body.name,
          allowedOrigins,
          settings,
          createdAt: now,
          database,
        }),
        insertKeyStatement(env.DB, secret.row, secret.hash),
        insertKeyStatement(env.DB, publishable.row, publishable.hash),
      ]);
      return json(
        {
          id,
          name: body.name,
          allowedOrigins,
          database,
          secretKey: secret.plain,
          publishableKey: publishable.plain,
        },
        { status: 201 },
      );
    },
  }),
  route({
    method: 'GET',
    path: '/v1/workspace',
    access: SECRET,
    summary:
      'The workspace the key belongs to: id, name and the browser origins its publishable keys work from',
    responses: { 200: WorkspaceSchema },
    handle: ({ auth }) => ({
      id: auth.workspace.id,
      name: auth.workspace.name,
      allowedOrigins: auth.workspace.allowedOrigins,
      database: auth.workspace.database,
      createdAt: auth.workspace.createdAt,
    }),
  }),
  route({
    method: 'PATCH',
    path: '/v1/workspace',
    access: SECRET,
    summary:
      'Rename the workspace or replace its allowed origins (effective from the next request)',
    body: WorkspacePatchSchema,
    responses: { 200: WorkspaceSchema },
    examples: {
      body: { allowedOrigins: ['https://intranet.example.com', 'https://shop.example.com'] },
    },
    async handle({ env, auth, body }) {
      const next = {
        name: body.name ?? auth.workspace.name,
        allowedOrigins: body.allowedOrigins
          ? [...new Set(body.allowedOrigins)]
          : auth.workspace.allowedOrigins,
      };
      await env.DB.batch(updateWorkspaceStatements(env.DB, auth.workspace.id, next));
      return {
        id: auth.workspace.id,
        ...next,
        database: auth.workspace.database,
        createdAt: auth.workspace.createdAt,
      };
    },
  }),
];
