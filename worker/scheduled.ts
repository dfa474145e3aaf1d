import * as v from 'valibot';
import { SettingsSchema } from '../schema/settings.ts';
import type { Env } from './env.ts';
import { restageWorkspace } from './restage.ts';

/**
 * Nightly upkeep: re-derives every workspace's stage histories so that changes of rules and
 * models reach every client. (Time-driven transitions need no job: they are stored ahead.)
 */
export async function scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const workspaces = await env.DB.prepare('SELECT id, settings FROM workspaces').all<{ id: string; settings: string }>();
  const now = new Date().toISOString();
  for (const ws of workspaces.results) {
    ctx.waitUntil(restageWorkspace(env.DB, ws.id, v.parse(SettingsSchema, JSON.parse(ws.settings)), now));
  }
}
