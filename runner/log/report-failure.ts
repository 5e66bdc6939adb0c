// How the runner ends on an error: one `[kiln] ✗` line (plus the hint), never a stack trace nor the
// bundle's own source text; with KILN_DEBUG the stack follows, in TypeScript positions (source map).
import { EXIT_CODES, KilnError } from '../../contract/errors';
import type { RunnerLog } from './logger';

export interface FailureOptions {
  /** KILN_DEBUG: print the stack of the error and of its causes. */
  debug?: boolean;
}

/** Prints the failure and returns the process exit code. */
export function reportFailure(log: RunnerLog, error: unknown, options: FailureOptions = {}): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof KilnError) {
    log.info(`✗ ${message}`);
    if (error.hint) log.info(`  hint: ${error.hint}`);
  } else {
    // Not one of kiln's own errors: a bug or an environment kiln did not expect.
    const where = log.currentStep ? ` in step "${log.currentStep}"` : '';
    log.info(`✗ internal error${where}: ${firstLine(message)}`);
    if (!options.debug) {
      log.info('  hint: Run again with KILN_DEBUG=1 (`kiln build --verbose`) for the stack trace.');
    }
  }
  if (options.debug) {
    for (const cause of causeChain(error)) {
      for (const line of (cause.stack ?? String(cause)).split('\n')) log.info(`  ${line}`);
    }
  }
  return error instanceof KilnError ? error.exitCode : EXIT_CODES.localError;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function causeChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && chain.length < 5; current = current.cause) {
    chain.push(current);
  }
  return chain;
}
