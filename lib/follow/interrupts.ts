// The one interruption model of the CLI. Three events mean "the user (or CI) wants this to stop":
// Ctrl-C (SIGINT), SIGTERM (what CI sends when a job is cancelled) and a closed stdout/stderr
// (`kiln status | head -1`: nobody reads the output any more). Each reaches the current step as the
// same callback; the step aborts its work through its AbortSignal and cleans up what it started.
// An injectable event source: the process's signals in the CLI, a plain function in tests.
import { EXIT_CODES } from '../../contract/errors';

export type InterruptSource = (handler: () => void) => () => void;

/** The current step's handlers; with none, a signal simply ends kiln (there is nothing to clean up). */
const subscribers = new Set<() => void>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dispatch(true));
}

function dispatch(isSignal: boolean): void {
  if (subscribers.size > 0) {
    for (const handler of [...subscribers]) handler();
  } else if (isSignal) {
    process.stderr.write('kiln: interrupted\n');
    process.exit(EXIT_CODES.interrupted);
  }
}

/** SIGINT, SIGTERM and a closed output stream, as one event. */
export const processInterrupts: InterruptSource = (handler) => {
  listen();
  subscribers.add(handler);
  return () => {
    subscribers.delete(handler);
  };
};

/**
 * Runs `work` with an AbortSignal that the first interruption aborts; `onAbort` turns the failure
 * the aborted work throws into the message the user sees.
 */
export async function withInterruption<T>(
  work: (signal: AbortSignal) => Promise<T>,
  onAbort: () => Error,
  interrupts: InterruptSource = processInterrupts,
): Promise<T> {
  const controller = new AbortController();
  const unsubscribe = interrupts(() => controller.abort());
  try {
    // Not raced against the signal: the work honours it and must finish its own clean-up first.
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw onAbort();
    throw error;
  } finally {
    unsubscribe();
  }
}

/**
 * `promise`, or a rejection as soon as `signal` aborts: an await that work without an abort path of
 * its own (an SDK credential lookup, a config evaluation) can never hold an interruption up.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Installed once by the CLI. Signals reach the current step (or end kiln when no step runs). A write
 * to a closed pipe fails asynchronously with EPIPE, and without a listener Node prints a stack trace
 * and exits: here it becomes an interruption instead, and later writes to that stream are dropped
 * (its reader is gone).
 */
export function installInterruptHandling(
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  listen();
  for (const stream of streams) {
    let closed = false;
    stream.on('error', () => {
      if (closed) return;
      closed = true;
      stream.write = (() => true) as typeof stream.write;
      dispatch(false);
    });
  }
}
