import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, type DeliveryStatus } from '../schema/webhooks.ts';
import {
  getOutgoingMessage,
  markQueuedStatements,
  pendingDeliveries,
  recordAttemptStatements,
} from './db/webhooks.ts';
import { withRetry } from './db/retry.ts';
import { type DataBindings, dataDatabases, workspaceDatabase } from './databases.ts';
import { signMessage } from './webhook-sign.ts';

/** The delivery queue's name in wrangler.toml: the Worker's queue handler dispatches on it. */
export const WEBHOOK_QUEUE_NAME = 'clientfolio-webhooks';

/** What travels on the queue: which outbox row to deliver (the row holds the rest). */
export interface DeliveryMessage {
  workspaceId: string;
  deliveryId: string;
}

/** Outbox rows handed to the queue per round; a round is one read, one send and one batch. */
const FLUSH_ROUND = 100;
/** A receiver that does not answer in this time counts as a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * Hands the outbox's pending messages to the delivery queue (all workspaces', or one's), then
 * marks them queued. Runs after a write and from the cron, so a message whose first hand-over
 * was lost (the Worker died between the write and the send) still goes out. A message handed
 * over twice by two flushers is delivered at least once; receivers deduplicate on `webhook-id`.
 */
export async function flushOutbox(
  db: D1Database,
  queue: Queue<DeliveryMessage>,
  workspaceId: string | null = null,
): Promise<number> {
  let sent = 0;
  for (;;) {
    const pending = await withRetry(() => pendingDeliveries(db, workspaceId, FLUSH_ROUND));
    if (pending.length === 0) return sent;
    await queue.sendBatch(
      pending.map((m) => ({ body: { workspaceId: m.workspaceId, deliveryId: m.id } })),
    );
    await withRetry(() => db.batch(markQueuedStatements(db, pending)));
    sent += pending.length;
    if (pending.length < FLUSH_ROUND) return sent;
  }
}

/** Every data database's outbox (the crons), one database after the other. */
export async function flushAllOutboxes(
  env: DataBindings,
  queue: Queue<DeliveryMessage>,
): Promise<number> {
  let sent = 0;
  for (const { db } of dataDatabases(env)) sent += await flushOutbox(db, queue);
  return sent;
}

export type DeliveryOutcome = { ack: true } | { ack: false; delaySeconds: number };

/**
 * One attempt at one message: signs it for this instant, posts it, logs the attempt. A 2xx ends
 * it (`delivered`); anything else is retried after the next delay of the schedule, with the same
 * `webhook-id`, until `MAX_ATTEMPTS` attempts of this run (`queueAttempt`, the queue's count);
 * then it is `failed`. A message already settled, or whose webhook was deleted, is dropped.
 */
export async function attemptDelivery(
  db: D1Database,
  message: DeliveryMessage,
  queueAttempt: number,
  nowMs: number = Date.now(),
  send: typeof fetch = fetch,
): Promise<DeliveryOutcome> {
  const out = await withRetry(() =>
    getOutgoingMessage(db, message.workspaceId, message.deliveryId),
  );
  if (!out || out.status === 'delivered' || out.status === 'failed') return { ack: true };
  const headers = await signMessage(out.secret, out.id, Math.floor(nowMs / 1000), out.payload);
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await send(out.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'clientfolio-webhooks',
        ...headers,
      },
      body: out.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = res.status;
    // The body is not read: only the status counts, and a large answer must not cost us memory.
    await res.body?.cancel();
  } catch (e) {
    error = e instanceof Error && e.name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
  const ok = status !== null && status >= 200 && status < 300;
  const last = queueAttempt >= MAX_ATTEMPTS;
  const next: DeliveryStatus = ok ? 'delivered' : last ? 'failed' : 'queued';
  await withRetry(() =>
    db.batch(
      recordAttemptStatements(
        db,
        message.workspaceId,
        out.id,
        {
          attempt: out.attempts + 1,
          at: new Date(nowMs).toISOString(),
          status,
          error: error ?? (ok ? null : `HTTP ${status}`),
          durationMs: Date.now() - started,
        },
        next,
      ),
    ),
  );
  if (ok || last) return { ack: true };
  return { ack: false, delaySeconds: RETRY_DELAYS_SECONDS[queueAttempt - 1]! };
}

/** The queue consumer: each message is one attempt; retries ride on the queue's delays. */
export async function deliverBatch(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    // The outbox row lives on the workspace's data database; a workspace gone has nothing to send.
    const db = await withRetry(() => workspaceDatabase(env, message.body.workspaceId));
    if (db === null) {
      message.ack();
      continue;
    }
    const outcome = await attemptDelivery(db, message.body, message.attempts);
    if (outcome.ack) message.ack();
    else message.retry({ delaySeconds: outcome.delaySeconds });
  }
}
