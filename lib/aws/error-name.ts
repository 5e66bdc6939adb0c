// Which AWS failure an error is, by its SDK or Node error code. Low level on purpose: the log
// follower, the uploader and the user-facing messages (errors.ts) all classify errors with it.
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'SlowDown']);

export function isThrottling(error: unknown): boolean {
  return THROTTLED.has(errorName(error));
}

export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { name, code, Code } = error as { name?: unknown; code?: unknown; Code?: unknown };
  const candidate = [code, Code, name].find((value) => typeof value === 'string' && value !== 'Error');
  return typeof candidate === 'string' ? candidate : '';
}
