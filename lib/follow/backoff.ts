// Retries a call that AWS throttled, with full-jitter exponential backoff
// (sleep a random time in [0, min(cap, base * 2^attempt))), as AWS's own guidance recommends.
import { isThrottling } from '../aws/error-name';
import type { Clock } from './clock';

export interface BackoffOptions {
  clock: Clock;
  baseMs?: number;
  capMs?: number;
  maxAttempts?: number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export async function withThrottleBackoff<T>(call: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const { clock, baseMs = 500, capMs = 20_000, maxAttempts = 8 } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt + 1 >= maxAttempts) throw error;
      const delayMs = Math.floor(clock.random() * Math.min(capMs, baseMs * 2 ** attempt));
      options.onRetry?.(attempt + 1, delayMs, error);
      await clock.sleep(delayMs);
    }
  }
}
