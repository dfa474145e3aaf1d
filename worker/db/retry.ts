/** Errors D1 documents as transient: the same call may succeed a moment later. */
const TRANSIENT = [
  /network connection lost/i,
  /overloaded/i,
  /object to be reset/i,
  /reset because its code was updated/i,
  /internal error/i,
  /storage caused object/i,
];

export const isTransient = (error: unknown): boolean =>
  error instanceof Error && TRANSIENT.some((re) => re.test(error.message));

/**
 * D1 stayed unavailable through every retry. Nothing was written (a D1 batch commits whole or not
 * at all); the router answers 503 with Retry-After.
 */
export class DatabaseUnavailableError extends Error {
  readonly retryAfterSeconds = 2;
  constructor(cause: unknown) {
    super('The database is briefly unavailable; nothing was stored. Retry shortly.', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a D1 call, retrying transient failures with exponential backoff and jitter. When retries
 * run out it throws DatabaseUnavailableError (the request ends in 503 with Retry-After), never a
 * 500 or a half-written state (a D1 batch either commits whole or not at all).
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  {
    attempts = 4,
    baseDelayMs = 50,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  }: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) throw new DatabaseUnavailableError(error);
      await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}
