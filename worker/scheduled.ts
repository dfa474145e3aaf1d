import * as v from 'valibot';
import { resolveFitRequest } from '../core/value/model.ts';
import { SettingsSchema } from '../schema/settings.ts';
import { purgeAllExpiredSessionsStatement } from './db/sessions.ts';
import { purgeExpiredIdempotencyStatement } from './idempotency.ts';
import { restageWorkspace } from './restage.ts';
import { sweepWorkspace } from './sweep.ts';
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
  const workspaces = await env.DB.prepare('SELECT id, settings FROM workspaces').all<{
    id: string;
    settings: string;
  }>();
  for (const ws of workspaces.results) {
    const settings = v.parse(SettingsSchema, JSON.parse(ws.settings));
    const request = resolveFitRequest({}, settings.value, now);
    if (request.ok) await fitWorkspaceModel(env.DB, ws.id, request.value, now);
    await restageWorkspace(
      env.DB,
      ws.id,
      settings,
      now,
      await sleepRuleFor(env.DB, ws.id, settings),
    );
    await sweepWorkspace(env.DB, ws.id, now);
  }
}

export function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): void {
  ctx.waitUntil(nightly(env, new Date().toISOString()));
}
