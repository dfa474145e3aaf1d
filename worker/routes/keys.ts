import * as v from 'valibot';
import { RestrictedKeyCreateSchema } from '../../schema/actions.ts';
import {
  type Key,
  KeyCreatedSchema,
  KeyCreateSchema,
  KeyIdSchema,
  KeyListSchema,
  KeySchema,
} from '../../schema/keys.ts';
import { SECRET } from '../auth.ts';
import {
  getKey,
  insertKeyStatement,
  type KeyRow,
  listKeys,
  revokeKeyUnlessLastSecret,
} from '../db/keys.ts';
import { withRetry } from '../db/retry.ts';
import { mintKey } from '../keys.ts';
import { ApiError } from '../problem.ts';
import { json, route } from '../route.ts';

const publicView = (k: Pick<KeyRow, 'id' | 'kind' | 'label' | 'createdAt' | 'revokedAt'>): Key => ({
  id: k.id,
  kind: k.kind,
  label: k.label,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
});

/** Revokes a key unless it is the workspace's last active secret key; revoking twice is a no-op. */
async function revokeKey(
  db: D1Database,
  workspaceId: string,
  id: string,
  now: string,
): Promise<Key> {
  const revoked = await revokeKeyUnlessLastSecret(db, workspaceId, id, now);
  if (revoked) return publicView(revoked);
  const row = await getKey(db, workspaceId, id);
  if (!row) throw new ApiError(404, `No key ${JSON.stringify(id)} in this workspace`);
  if (row.revokedAt !== null) return publicView(row);
  throw new ApiError(
    409,
    'This is the last active secret key of the workspace; create another secret key before revoking it',
    {
      errors: [{ path: 'id', message: 'is the last active secret key' }],
    },
  );
}

const example: Key = {
  id: 'key_Xb3kQ9ZlTq2w',
  kind: 'publishable',
  label: 'intranet widgets',
  createdAt: '2026-03-01T09:30:00.000Z',
  revokedAt: null,
};

export const keyRoutes = [
  route({
    method: 'POST',
    path: '/v1/keys',
    access: SECRET,
    summary: 'Create a secret, publishable or restricted key; the key is shown in this answer only',
    description:
      'Rotation is create-then-revoke: create a new key, deploy it where the old one was used, then revoke the old one with `DELETE /v1/keys/{id}`. Only a SHA-256 hash of the key is stored. ' +
      "A restricted key (`rk_…`, `kind: 'restricted'`) is issued for a manager (`scope: { manager }`), a supervisor (`scope: { supervisor }`, whose team is `actions.supervisors`) or a list of managers (`scope: { supervisorOf: [...] }`): it reads and writes only those managers' work list, dossiers and lead qualification.",
    tags: ['keys'],
    body: v.variant(
      'kind',
      [KeyCreateSchema, RestrictedKeyCreateSchema],
      'must be secret, publishable or restricted',
    ),
    responses: { 201: KeyCreatedSchema },
    idempotent: true,
    examples: {
      body: { kind: 'publishable', label: 'intranet widgets' },
      response: { ...example, key: 'pk_4J8p0c1mZ2h3Qk5Lr7sT9vWxYz' },
    },
    async handle({ env, auth, now, body }) {
      const minted = await mintKey(auth.workspace.id, body.kind, now, {
        label: body.label ?? null,
        ...(body.kind === 'restricted' && { scope: body.scope }),
      });
      await withRetry(() => insertKeyStatement(env.DB, minted.row, minted.hash).run());
      return json({ ...publicView(minted.row), key: minted.plain }, { status: 201 });
    },
  }),
  route({
    method: 'GET',
    path: '/v1/keys',
    access: SECRET,
    summary: "The workspace's keys, revoked ones included, without the keys themselves",
    tags: ['keys'],
    responses: { 200: KeyListSchema },
    examples: { response: { data: [example] } },
    async handle({ env, auth }) {
      return { data: (await listKeys(env.DB, auth.workspace.id)).map(publicView) };
    },
  }),
  route({
    method: 'DELETE',
    path: '/v1/keys/:id',
    access: SECRET,
    summary:
      'Revoke a key: it is refused from the next request on, and widget sessions it minted end',
    description:
      'Revoking an already revoked key answers it again. The last active secret key cannot be revoked (409), so nobody locks themselves out.',
    tags: ['keys'],
    params: { id: KeyIdSchema },
    responses: { 200: KeySchema },
    errors: { 409: 'The key is the last active secret key of the workspace' },
    examples: { response: { ...example, revokedAt: '2026-04-01T12:00:00.000Z' } },
    handle: ({ env, auth, now, params }) => revokeKey(env.DB, auth.workspace.id, params.id!, now),
  }),
];
