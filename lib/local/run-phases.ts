// Runs buildspec phases like CodeBuild: each phase's commands in one bash process (so exports carry
// over between commands), stopping at the first failing command. The child gets its own process
// group so an abort (Ctrl-C) stops it and everything it started (docker, the runner).
import { spawn } from 'node:child_process';
import { EXIT_CODES, KilnError } from '../../contract/errors';
import type { LocalBuildspec } from './buildspec';

export interface RunPhasesOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where the commands' stdout goes: 1, or 2 when stdout is reserved for --json (or any open fd). */
  stdoutFd: number;
  /** Where their stderr goes; default 2. */
  stderrFd?: number;
  signal?: AbortSignal;
}

export async function runPhases(buildspec: LocalBuildspec, options: RunPhasesOptions): Promise<void> {
  const interrupted = () =>
    new KilnError('the local build was interrupted', undefined, EXIT_CODES.buildStopped);
  for (const phase of buildspec.phases) {
    if (options.signal?.aborted) throw interrupted();
    const exitCode = await runBash(phase.commands.join('\n'), options);
    if (options.signal?.aborted) throw interrupted();
    if (exitCode !== 0) {
      throw new KilnError(
        `the local build failed in phase "${phase.name}" (exit code ${exitCode})`,
        'The [kiln] lines above name the failed step.',
        EXIT_CODES.buildFailed,
      );
    }
  }
}

function runBash(script: string, options: RunPhasesOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', options.stdoutFd, options.stderrFd ?? 2],
      detached: true,
    });
    const stop = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // The group already exited.
        }
      }
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
