import type { Stage } from '../../schema/lifecycle.ts';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  Webhook,
  WebhookEventType,
  WebhookPayload,
} from '../../schema/webhooks.ts';
import { CLOCK } from './clock.ts';
import { packRows, placeholders } from './plan.ts';

export interface WebhookRow extends Webhook {
  secret: string;
}

interface WebhookRaw {
  id: string;
  url: string;
  events: string;
  secret: string;
  created_at: string;
}

const toWebhook = (r: WebhookRaw): WebhookRow => ({
  id: r.id,
  url: r.url,
  events: JSON.parse(r.events) as WebhookEventType[],
  secret: r.secret,
  createdAt: r.created_at,
});

export function insertWebhookStatement(
  db: D1Database,
  workspaceId: string,
  w: WebhookRow,
): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO webhooks (workspace_id, id, url, events, secret, created_at, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
    )
    .bind(
      workspaceId,
      w.id,
      w.url,
      JSON.stringify(w.events),
      w.secret,
      w.createdAt,
      Date.parse(w.createdAt),
    );
}

export async function listWebhooks(db: D1Database, workspaceId: string): Promise<WebhookRow[]> {
  const rows = await db
    .prepare(
      'SELECT id, url, events, secret, created_at FROM webhooks WHERE workspace_id = ?1 ORDER BY created_at, id',
    )
    .bind(workspaceId)
    .all<WebhookRaw>();
  return rows.results.map(toWebhook);
}

export async function getWebhook(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<WebhookRow | null> {
  const row = await db
    .prepare(
      'SELECT id, url, events, secret, created_at FROM webhooks WHERE workspace_id = ?1 AND id = ?2',
    )
    .bind(workspaceId, id)
    .first<WebhookRaw>();
  return row ? toWebhook(row) : null;
}

/** Deletes a webhook and its delivery log; messages already queued find nothing and are dropped. */
export function deleteWebhookStatements(
  db: D1Database,
  workspaceId: string,
  id: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `DELETE FROM webhook_attempts WHERE workspace_id = ?1 AND delivery_id IN
         (SELECT id FROM webhook_deliveries WHERE workspace_id = ?1 AND webhook_id = ?2)`,
      )
      .bind(workspaceId, id),
    db
      .prepare('DELETE FROM webhook_deliveries WHERE workspace_id = ?1 AND webhook_id = ?2')
      .bind(workspaceId, id),
    db.prepare('DELETE FROM webhooks WHERE workspace_id = ?1 AND id = ?2').bind(workspaceId, id),
  ];
}

/**
 * A message id minted inside SQL (outbox rows are written by INSERT … SELECT): the creation
 * instant first, so ids sort by age and the delivery log pages on them, then 64 random bits.
 */
const MESSAGE_ID = (nowMs: string) =>
  `'msg_' || printf('%013d', ${nowMs}) || lower(hex(randomblob(8)))`;
const SUBSCRIBED = (type: WebhookEventType) =>
  `EXISTS (SELECT 1 FROM json_each(w.events) WHERE json_each.value = '${type}')`;

export interface StageNow {
  clientId: string;
  /** The client's stage at `now` after the write, and since when. */
  stage: Stage;
  since: string;
}

/**
 * Outbox rows for every client whose current stage at `nowMs` differs from the one stored: must
 * run in the write's batch before the old spells are deleted, so it compares exactly the state
 * replaced. One row per subscribed webhook; none when nothing changed or nobody subscribed.
 */
export function stageChangeOutboxStatements(
  db: D1Database,
  workspaceId: string,
  changes: readonly StageNow[],
  now: string,
): D1PreparedStatement[] {
  // The changes packed as JSON: one statement for a whole batch's clients, not one per 32.
  return packRows(changes.map((c) => [c.clientId, c.stage, c.since])).map((json) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (workspace_id, id, webhook_id, client_id, event_type, dedup, payload, created_at, status)
         SELECT ?1, ${MESSAGE_ID('?2')}, w.id, c.client_id, 'client.stage_changed',
           c.client_id || '|' || c.stage || '|' || c.since,
           json_object('type', 'client.stage_changed', 'timestamp', ?3,
             'data', json_object('clientId', c.client_id, 'previous', old.stage, 'current', c.stage, 'at', c.since)),
           ?3, 'pending'
         FROM (SELECT value ->> 0 AS client_id, value ->> 1 AS stage, value ->> 2 AS since FROM json_each(?4)) AS c
         JOIN webhooks w ON w.workspace_id = ?1 AND ${SUBSCRIBED('client.stage_changed')}
         LEFT JOIN stage_spells old ON old.workspace_id = ?1 AND old.client_id = c.client_id
           AND old.entered_ms <= ?2 AND (old.left_ms IS NULL OR old.left_ms > ?2)
         WHERE old.stage IS NOT c.stage`,
      )
      .bind(workspaceId, Date.parse(now), now, json),
  );
}

/**
 * Outbox rows for the transitions the clock passed between the workspace's sweep instant and
 * `toMs` that no write caused (falling asleep, getting lost: spells stored ahead, without an
 * event), for webhooks that existed before the transition. Runs in the sweep's batch, before the
 * sweep moves the clock; a transition a write already announced has the same `dedup` and is
 * stored once.
 */
export function timeDrivenOutboxStatement(
  db: D1Database,
  workspaceId: string,
  toMs: number,
  now: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO webhook_deliveries (workspace_id, id, webhook_id, client_id, event_type, dedup, payload, created_at, status)
       SELECT ?1, ${MESSAGE_ID('?2')}, w.id, s.client_id, 'client.stage_changed',
         s.client_id || '|' || s.stage || '|' || s.entered_at,
         json_object('type', 'client.stage_changed', 'timestamp', ?3,
           'data', json_object('clientId', s.client_id, 'previous', p.stage, 'current', s.stage, 'at', s.entered_at)),
         ?3, 'pending'
       FROM stage_spells s
       JOIN webhooks w ON w.workspace_id = ?1 AND ${SUBSCRIBED('client.stage_changed')} AND w.created_ms < s.entered_ms
       LEFT JOIN stage_spells p ON p.workspace_id = ?1 AND p.client_id = s.client_id AND p.seq = s.seq - 1
       WHERE s.workspace_id = ?1 AND s.event_id IS NULL AND s.entered_ms > ${CLOCK} AND s.entered_ms <= ?2`,
    )
    .bind(workspaceId, toMs, now);
}

/** Outbox messages not yet handed to the queue, oldest first. */
export async function pendingDeliveries(
  db: D1Database,
  workspaceId: string | null,
  limit: number,
): Promise<{ workspaceId: string; id: string }[]> {
  const rows = await db
    .prepare(
      `SELECT workspace_id, id FROM webhook_deliveries
       WHERE status = 'pending' AND (?1 IS NULL OR workspace_id = ?1) ORDER BY created_at LIMIT ?2`,
    )
    .bind(workspaceId, limit)
    .all<{ workspace_id: string; id: string }>();
  return rows.results.map((r) => ({ workspaceId: r.workspace_id, id: r.id }));
}

export function markQueuedStatements(
  db: D1Database,
  messages: readonly { workspaceId: string; id: string }[],
): D1PreparedStatement[] {
  return messages.map((m) =>
    db
      .prepare(
        `UPDATE webhook_deliveries SET status = 'queued' WHERE workspace_id = ?1 AND id = ?2 AND status = 'pending'`,
      )
      .bind(m.workspaceId, m.id),
  );
}

/** What one delivery attempt needs: the message and where and how to sign it. */
export interface OutgoingMessage {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  payload: string;
  url: string;
  secret: string;
}

export async function getOutgoingMessage(
  db: D1Database,
  workspaceId: string,
  id: string,
): Promise<OutgoingMessage | null> {
  return db
    .prepare(
      `SELECT d.id, d.status, d.attempts, d.payload, w.url, w.secret FROM webhook_deliveries d
       JOIN webhooks w ON w.workspace_id = d.workspace_id AND w.id = d.webhook_id
       WHERE d.workspace_id = ?1 AND d.id = ?2`,
    )
    .bind(workspaceId, id)
    .first<OutgoingMessage>();
}

/** Logs an attempt and moves the delivery to its new status, in one batch. */
export function recordAttemptStatements(
  db: D1Database,
  workspaceId: string,
  deliveryId: string,
  attempt: DeliveryAttempt,
  status: DeliveryStatus,
): D1PreparedStatement[] {
  const finished = status === 'delivered' || status === 'failed' ? attempt.at : null;
  return [
    db
      .prepare(
        'INSERT OR REPLACE INTO webhook_attempts (workspace_id, delivery_id, attempt, at, status, error, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
      )
      .bind(
        workspaceId,
        deliveryId,
        attempt.attempt,
        attempt.at,
        attempt.status,
        attempt.error,
        attempt.durationMs,
      ),
    db
      .prepare(
        'UPDATE webhook_deliveries SET attempts = ?3, status = ?4, finished_at = ?5 WHERE workspace_id = ?1 AND id = ?2',
      )
      .bind(workspaceId, deliveryId, attempt.attempt, status, finished),
  ];
}

/** Puts a delivery back in the outbox (a resend: same message id, a fresh run of attempts). */
export function requeueDeliveryStatement(
  db: D1Database,
  workspaceId: string,
  webhookId: string,
  id: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', finished_at = NULL
       WHERE workspace_id = ?1 AND webhook_id = ?2 AND id = ?3 RETURNING id`,
    )
    .bind(workspaceId, webhookId, id);
}

interface DeliveryRaw {
  id: string;
  webhook_id: string;
  event_type: WebhookEventType;
  status: DeliveryStatus;
  created_at: string;
  finished_at: string | null;
  payload: string;
}

interface AttemptRaw {
  delivery_id: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

/** A webhook's deliveries, newest first, each with every attempt made. */
export async function listDeliveries(
  db: D1Database,
  workspaceId: string,
  webhookId: string,
  { beforeId, limit, id }: { beforeId: string | null; limit: number; id?: string },
): Promise<{ deliveries: Delivery[]; hasMore: boolean }> {
  const rows = await db
    .prepare(
      `SELECT id, webhook_id, event_type, status, created_at, finished_at, payload FROM webhook_deliveries
       WHERE workspace_id = ?1 AND webhook_id = ?2 AND (?3 IS NULL OR id < ?3) AND (?5 IS NULL OR id = ?5)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(workspaceId, webhookId, beforeId, limit + 1, id ?? null)
    .all<DeliveryRaw>();
  const page = rows.results.slice(0, limit);
  const byDelivery = new Map<string, DeliveryAttempt[]>(page.map((d) => [d.id, []]));
  if (page.length > 0) {
    const attempts = await db
      .prepare(
        `SELECT delivery_id, attempt, at, status, error, duration_ms FROM webhook_attempts
         WHERE workspace_id = ?1 AND delivery_id IN (${placeholders(page.length, 1)}) ORDER BY delivery_id, attempt`,
      )
      .bind(workspaceId, ...page.map((d) => d.id))
      .all<AttemptRaw>();
    for (const a of attempts.results)
      byDelivery.get(a.delivery_id)?.push({
        attempt: a.attempt,
        at: a.at,
        status: a.status,
        error: a.error,
        durationMs: a.duration_ms,
      });
  }
  return {
    deliveries: page.map((d) => ({
      id: d.id,
      webhookId: d.webhook_id,
      type: d.event_type,
      status: d.status,
      createdAt: d.created_at,
      finishedAt: d.finished_at,
      payload: JSON.parse(d.payload) as WebhookPayload,
      attempts: byDelivery.get(d.id) ?? [],
    })),
    hasMore: rows.results.length > limit,
  };
}

/** Workspaces with at least one webhook: the hourly sweep's work. */
export async function workspacesWithWebhooks(db: D1Database): Promise<string[]> {
  const rows = await db
    .prepare('SELECT DISTINCT workspace_id AS id FROM webhooks ORDER BY workspace_id')
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/** The subjects the nightly announcer watches (schema/migrations/0018_class_watch.sql). */
export type WatchSubject = 'types' | 'mono';

/** What was last seen, by subject and client; `watched` is false before the first comparison. */
export async function loadWatched(
  db: D1Database,
  workspaceId: string,
): Promise<{ watched: boolean; seen: Map<WatchSubject, Map<string, string>> }> {
  const rows = await db
    .prepare('SELECT subject, client_id, value FROM class_watch WHERE workspace_id = ?1')
    .bind(workspaceId)
    .all<{ subject: WatchSubject; client_id: string; value: string }>();
  const seen = new Map<WatchSubject, Map<string, string>>([
    ['types', new Map()],
    ['mono', new Map()],
  ]);
  let watched = false;
  for (const r of rows.results) {
    if (r.client_id === '*') watched = true;
    else seen.get(r.subject)?.set(r.client_id, r.value);
  }
  return { watched, seen };
}

export interface WatchChange {
  subject: WatchSubject;
  clientId: string;
  /** The new value, or null when the client no longer has it (erased, no longer a mono-client). */
  value: string | null;
  /** The message to announce, or null to record silently. */
  announce: { type: WebhookEventType; dedup: string; payload: string } | null;
}

/** Records one change and puts its message (if any) in the outbox of every subscribed webhook. */
export function watchChangeStatements(
  db: D1Database,
  workspaceId: string,
  change: WatchChange,
  now: string,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [
    change.value === null
      ? db
          .prepare(
            'DELETE FROM class_watch WHERE workspace_id = ?1 AND subject = ?2 AND client_id = ?3',
          )
          .bind(workspaceId, change.subject, change.clientId)
      : db
          .prepare(
            `INSERT INTO class_watch (workspace_id, subject, client_id, value) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (workspace_id, subject, client_id) DO UPDATE SET value = excluded.value`,
          )
          .bind(workspaceId, change.subject, change.clientId, change.value),
  ];
  const a = change.announce;
  if (a)
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO webhook_deliveries (workspace_id, id, webhook_id, client_id, event_type, dedup, payload, created_at, status)
           SELECT ?1, ${MESSAGE_ID('?2')}, w.id, ?7, ?4, ?5, ?6, ?3, 'pending' FROM webhooks w
           WHERE w.workspace_id = ?1 AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE json_each.value = ?4)`,
        )
        .bind(workspaceId, Date.parse(now), now, a.type, a.dedup, a.payload, change.clientId),
    );
  return statements;
}

/** Marks a workspace as watched (its first comparison recorded without announcing). */
export function markWatchedStatement(db: D1Database, workspaceId: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO class_watch (workspace_id, subject, client_id, value) VALUES (?1, 'types', '*', '')`,
    )
    .bind(workspaceId);
}

/**
 * Erasure: the client's messages (sent or not) and their attempts, and what the nightly announcer
 * remembers of it. Part of the erasure's atomic batch (worker/erasure.ts).
 */
export function forgetClientWebhookStatements(
  db: D1Database,
  workspaceId: string,
  clientId: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `DELETE FROM webhook_attempts WHERE workspace_id = ?1 AND delivery_id IN
         (SELECT id FROM webhook_deliveries WHERE workspace_id = ?1 AND client_id = ?2)`,
      )
      .bind(workspaceId, clientId),
    db
      .prepare('DELETE FROM webhook_deliveries WHERE workspace_id = ?1 AND client_id = ?2')
      .bind(workspaceId, clientId),
    db
      .prepare('DELETE FROM class_watch WHERE workspace_id = ?1 AND client_id = ?2')
      .bind(workspaceId, clientId),
  ];
}
