// Runs buildspec phases like CodeBuild: each phase's commands in one bash process (so exports carry
// over between commands), stopping at the first failing command. The child gets its own process
// group so an abort (Ctrl-C, SIGTERM) stops it and everything it started (docker, the runner): SIGTERM
// first, so docker can cancel its build, then SIGKILL after a grace period, as `docker stop` does,
// so a process that ignores SIGTERM cannot keep kiln (and the temp folder it removes) waiting.
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
  /** How long an interrupted group gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 5_000;

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
    const group = child.pid === undefined ? undefined : -child.pid;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      signalGroup(group, 'SIGTERM');
      killTimer = setTimeout(
        () => signalGroup(group, 'SIGKILL'),
        options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      );
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      const exitCode = code ?? (signal ? 128 : 1);
      if (!options.signal?.aborted) return resolve(exitCode);
      // bash may be gone while what it started (docker) still runs: wait for the whole group.
      void groupGone(group, (options.killGraceMs ?? DEFAULT_KILL_GRACE_MS) + 2_000).then(() => {
        clearTimeout(killTimer);
        resolve(exitCode);
      });
    });
  });
}

function signalGroup(group: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (group === undefined) return false;
  try {
    process.kill(group, signal);
    return true;
  } catch {
    return false; // the group has no process left
  }
}

async function groupGone(group: number | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(group, 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
