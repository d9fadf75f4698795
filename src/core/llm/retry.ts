// Backoff policy for transient failures (429, 5xx, timeouts, broken streams). Our own loop rather
// than the SDK's: its sleep ignores the AbortSignal, its retries are invisible to progress
// reporting, and it cannot retry a stream that breaks after the headers arrived.
import { cancelledError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles each retry, with jitter. */
  baseDelayMs: number;
  /** Longest backoff we compute ourselves, and the longest Retry-After we are willing to honour. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxRetries: 4, baseDelayMs: 500, maxDelayMs: 60_000 });

/**
 * The wait a response asks for, in ms: `retry-after-ms` (OpenAI, Azure), then `Retry-After` as
 * seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with up to 25% jitter downwards: retry r (0-based) waits ≈ base·2^r. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const plain = Math.min(policy.baseDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(plain * (1 - 0.25 * random()));
}

/** Resolves after `ms`, or rejects with a `cancelled` LlmError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
