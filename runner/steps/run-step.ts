// One runner step: logged when it starts and with its duration when done; a failure names the step.
import { KilnError } from '../../contract/errors';
import type { RunnerLog } from '../log/logger';

export class StepFailedError extends KilnError {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`step "${step}" failed: ${reason}`, cause instanceof KilnError ? cause.hint : undefined);
    this.name = 'StepFailedError';
    this.cause = cause;
  }
}

export async function runStep<T>(log: RunnerLog, step: string, work: () => Promise<T>): Promise<T> {
  log.info(`▸ ${step} …`);
  log.currentStep = step;
  const started = performance.now();
  try {
    const result = await work();
    log.info(`✓ ${step} done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
    return result;
  } catch (error) {
    throw new StepFailedError(step, error);
  } finally {
    log.currentStep = undefined;
  }
}
