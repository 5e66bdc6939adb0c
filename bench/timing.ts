// Wall and CPU time of one command run as a fresh process. CPU time is less sensitive than wall time
// to other work on a shared machine, so the rows report both. Spawning costs more from a parent with a
// large memory footprint (fork copies its page tables), so rows timing short commands run first.
import { spawnSync } from 'node:child_process';
import { nowMs } from './result';

export interface Timing {
  wallMs: number;
  /** User + system CPU time of the process and its children. */
  cpuMs: number;
}

/** "`label` exits N: <first line of output>", for a command that failed. */
export function failure(label: string, status: number | null, output: string): Error {
  return new Error(`\`${label}\` exits ${status}: ${output.trim().split('\n')[0]}`);
}

/** Wall time of a command spawned directly: for short commands, where a wrapper's cost would show. */
export function wallTime(label: string, [command, ...args]: string[], cwd: string): number {
  const started = nowMs();
  const run = spawnSync(command!, args, { cwd, encoding: 'utf8' });
  const wallMs = nowMs() - started;
  if (run.status !== 0) throw failure(label, run.status, run.stderr);
  return wallMs;
}

/** Runs a command under bash, whose `times` builtin reports the CPU time its children used. */
export function timed(label: string, commandLine: string[], cwd: string): Timing {
  const script = '"$0" "$@" >/dev/null; status=$?; times >&2; exit $status';
  const started = nowMs();
  const run = spawnSync('bash', ['-c', script, ...commandLine], { cwd, encoding: 'utf8' });
  const wallMs = nowMs() - started;
  const lines = run.stderr.trim().split('\n');
  if (run.status !== 0) throw failure(label, run.status, run.stderr);
  // The last line of `times`: children's user and system time, e.g. "0m2.874s 0m0.659s".
  const seconds = [...lines.at(-1)!.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, m, s]) => Number(m) * 60 + Number(s),
  );
  return { wallMs, cpuMs: seconds.reduce((a, b) => a + b, 0) * 1000 };
}

/**
 * On this shared machine other engineers' builds queue ahead of the measured processes (they can double
 * a 100 ms start, and take the second core a parallel pack would use). When allowed (root), rows also
 * time their commands at raised priority, closer to a developer's own machine; that figure goes in the
 * table, labelled, and the normal-priority one in the notes.
 */
export function priorityPrefix(): string[] {
  const probe = spawnSync('nice', ['-n', '-10', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stderr === '' ? ['nice', '-n', '-10'] : [];
}
