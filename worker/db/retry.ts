import { ApiError } from '../problem.ts';

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

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a D1 call, retrying transient failures with exponential backoff and jitter. When retries
 * run out the request ends in 503 with Retry-After, never in a 500 or a half-written state (a
 * D1 batch either commits whole or not at all).
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
      if (attempt >= attempts) {
        throw new ApiError(
          503,
          'The database is briefly unavailable; nothing was stored. Retry shortly.',
          { headers: { 'retry-after': '2' } },
        );
      }
      await sleep(baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    }
  }
}
