/** The Idempotency-Key records (see worker/idempotency.ts for the semantics). */
export interface IdempotencyRecord {
  requestHash: string;
  /** Null while the first request still runs. */
  status: number | null;
  /** The sealed answer; null while the first request still runs. */
  answer: string | null;
}

/**
 * Inserts the record, or takes over an expired one or one whose lock holder died, in one
 * statement. True when this request now holds the key.
 */
export async function claimIdempotencyKey(
  db: D1Database,
  r: { scope: string; key: string; requestHash: string },
  now: string,
  expiresAt: string,
  lockedUntil: string,
): Promise<boolean> {
  const taken = await db
    .prepare(
      `INSERT INTO idempotency_keys (scope, key, request_hash, created_at, expires_at, locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL, answer = NULL,
         created_at = excluded.created_at, expires_at = excluded.expires_at, locked_until = excluded.locked_until
       WHERE idempotency_keys.expires_at <= excluded.created_at OR (idempotency_keys.status IS NULL AND idempotency_keys.locked_until <= excluded.created_at)`,
    )
    .bind(r.scope, r.key, r.requestHash, now, expiresAt, lockedUntil)
    .run();
  return taken.meta.changes > 0;
}

export async function getIdempotencyRecord(
  db: D1Database,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const row = await db
    .prepare(
      'SELECT request_hash, status, answer FROM idempotency_keys WHERE scope = ?1 AND key = ?2',
    )
    .bind(scope, key)
    .first<{ request_hash: string; status: number | null; answer: string | null }>();
  return row ? { requestHash: row.request_hash, status: row.status, answer: row.answer } : null;
}

/** Keeps the first answer (sealed) and lifts the lock. */
export async function storeIdempotentAnswer(
  db: D1Database,
  r: { scope: string; key: string; requestHash: string },
  status: number,
  sealedAnswer: string,
): Promise<void> {
  await db
    .prepare(
      'UPDATE idempotency_keys SET status = ?4, answer = ?5, locked_until = NULL WHERE scope = ?1 AND key = ?2 AND request_hash = ?3',
    )
    .bind(r.scope, r.key, r.requestHash, status, sealedAnswer)
    .run();
}

/** Drops an unsettled claim, so that a retry runs again. */
export async function releaseIdempotencyKey(
  db: D1Database,
  r: { scope: string; key: string; requestHash: string },
): Promise<void> {
  await db
    .prepare(
      'DELETE FROM idempotency_keys WHERE scope = ?1 AND key = ?2 AND request_hash = ?3 AND status IS NULL',
    )
    .bind(r.scope, r.key, r.requestHash)
    .run();
}

/** Records past their 24 hours, of every scope; for the nightly job (a reused key takes over its own anyway). */
export const purgeExpiredIdempotencyStatement = (db: D1Database, now: string) =>
  db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?1').bind(now);

/** Forgets a workspace's records (erasure: a stored answer may quote the erased client). */
export const forgetScopeStatement = (db: D1Database, scope: string) =>
  db.prepare('DELETE FROM idempotency_keys WHERE scope = ?1').bind(scope);
