// Wall and CPU time of one command run as a fresh process. CPU time is less sensitive than wall time
// to other work on a shared machine, so the rows report both.
import { spawnSync } from 'node:child_process';
import { nowMs } from './result';

export interface Timing {
  wallMs: number;
  /** User + system CPU time of the process and its children. */
  cpuMs: number;
}

/** Runs a command under bash, whose `times` builtin reports the CPU time its children used. */
export function timed(label: string, command: string, args: string[], cwd: string): Timing {
  const script = '"$0" "$@" >/dev/null; status=$?; times >&2; exit $status';
  const started = nowMs();
  const run = spawnSync('bash', ['-c', script, command, ...args], { cwd, encoding: 'utf8' });
  const wallMs = nowMs() - started;
  const lines = run.stderr.trim().split('\n');
  if (run.status !== 0) throw new Error(`\`${label}\` exits ${run.status}: ${lines[0]}`);
  // The last line of `times`: children's user and system time, e.g. "0m2.874s 0m0.659s".
  const seconds = [...lines.at(-1)!.matchAll(/(\d+)m([\d.]+)s/g)].map(
    ([, m, s]) => Number(m) * 60 + Number(s),
  );
  return { wallMs, cpuMs: seconds.reduce((a, b) => a + b, 0) * 1000 };
}
