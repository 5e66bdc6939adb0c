// How the runner ends on an error: one `[kiln] ✗` line (plus the hint), never a stack trace.
import { EXIT_CODES, KilnError } from '../../contract/errors';
import type { RunnerLog } from './logger';

/** Prints the failure and returns the process exit code. */
export function reportFailure(log: RunnerLog, error: unknown): number {
  log.info(`✗ ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof KilnError && error.hint) log.info(`  hint: ${error.hint}`);
  return error instanceof KilnError ? error.exitCode : EXIT_CODES.localError;
}
