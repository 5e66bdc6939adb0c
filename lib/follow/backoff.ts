// Retries a failed AWS call with full-jitter exponential backoff (sleep a random time in
// [0, min(cap, base * 2^attempt))), as AWS's own guidance recommends. By default only throttling is
// retried, a few times; the log follower retries failures on the way too, and never gives up.
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { isThrottling } from '../aws/error-name';
import type { Clock } from './clock';
import { abortable } from './interrupts';

export interface BackoffOptions {
  clock: Clock;
  baseMs?: number;
  capMs?: number;
  /** Tries in all before the failure is passed on. */
  maxAttempts?: number;
  /** Which failures are worth another try (default: throttling). */
  retryable?: (error: unknown) => boolean;
  /** Aborting ends a wait (or the call in flight) at once: the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Told once per call that has kept failing for `afterMs`: a visible "still trying". */
  longFailure?: { afterMs: number; notify: (failingMs: number, error: unknown) => void };
}

export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const { clock, signal, baseMs = 500, capMs = 20_000, maxAttempts = 8, retryable = isThrottling } = options;
  let failingSince: number | undefined;
  let told = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await abortable(Promise.resolve().then(call), signal);
    } catch (error) {
      if (signal?.aborted || !retryable(error) || attempt + 1 >= maxAttempts) throw error;
      failingSince ??= clock.now();
      const failingMs = clock.now() - failingSince;
      if (options.longFailure && !told && failingMs >= options.longFailure.afterMs) {
        told = true;
        options.longFailure.notify(failingMs, error);
      }
      await clock.sleep(Math.floor(clock.random() * Math.min(capMs, baseMs * 2 ** attempt)), signal);
      if (signal?.aborted) throw signal.reason;
    }
  }
}

/**
 * Worth retrying while a build runs: throttling, or a failure on the way (a 5xx, a reset, refused
 * or timed-out connection), which the SDK's own three tries did not outlast. Never a refusal
 * (AccessDenied, a validation error): retrying cannot change its answer.
 */
export function isTemporaryFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return (
    isThrottling(error) ||
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError)
  );
}
