import { resolveFitRequest } from '../core/value/model.ts';
import { purgeExpiredIdempotencyStatement } from './db/idempotency.ts';
import { purgeAllExpiredSessionsStatement } from './db/sessions.ts';
import { listWorkspaceSettings } from './db/workspaces.ts';
import { restageWorkspace } from './restage.ts';
import { fitWorkspaceModel, sleepRuleFor } from './value.ts';

/**
 * Nightly upkeep, never inside a user's request: drop expired idempotency records and widget
 * sessions, refit each workspace's CLV model on its whole
 * history (below the minimum data it records why and changes nothing else), then re-derive the
 * stage histories so that rule changes and a new model's P(alive) reach every client.
 * (Time-driven transitions need no job: they are stored ahead of time.)
 */
export async function nightly(env: Env, now: string): Promise<void> {
  await env.DB.batch([
    purgeExpiredIdempotencyStatement(env.DB, now),
    purgeAllExpiredSessionsStatement(env.DB, now),
  ]);
  for (const { id, settings } of await listWorkspaceSettings(env.DB)) {
    const request = resolveFitRequest({}, settings.value, now);
    if (request.ok) await fitWorkspaceModel(env.DB, id, request.value, now);
    await restageWorkspace(env.DB, id, settings, now, await sleepRuleFor(env.DB, id, settings));
  }
}

export function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): void {
  ctx.waitUntil(nightly(env, new Date().toISOString()));
}
