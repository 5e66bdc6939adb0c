// Shared by the hostile-input catalogue (test/integration/hostile, test/unit/hostile): the classes
// of issue 14, and the checks every case makes whatever its input: one clear `kiln:` line, no stack
// trace or raw internal text, nothing left in the temp directory, no project file changed.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type HostileClass =
  | 'success reported for a failure'
  | 'hang or ignored signal'
  | 'signal'
  | 'closed output stream'
  | 'time-of-check/time-of-use'
  | 'silent loss or substitution'
  | 'internal error as message'
  | 'secrets and untrusted output'
  | 'usage';

/** The line a user reads: the first `kiln:` line that is not a warning. */
export function errorLine(stderr: string): string | undefined {
  return stderr.split('\n').find((line) => line.startsWith('kiln: ') && !line.startsWith('kiln: warning:'));
}

/** What must never reach a user, whatever went wrong. */
export function expectNoInternals(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(stderr).not.toMatch(/UnknownError|unexpected error|Cannot read properties|is not a function/);
  expect(stderr).not.toMatch(/\b(EACCES|ENOENT|EISDIR|ENOTDIR|ELOOP|EPIPE):/);
  expect(stderr).not.toContain('\u001b');
}

/** Path → type and content hash of everything under `dir` (FIFOs and sockets by type only). */
export function treeState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  // Names as bytes: a file name that is not UTF-8 must be found again.
  const walk = (relative: string) => {
    for (const raw of readdirSync(Buffer.from(join(dir, relative), 'latin1'), { encoding: 'buffer' })) {
      const name = raw.toString('latin1');
      const path = relative ? `${relative}/${name}` : name;
      const absolute = Buffer.from(join(dir, path), 'latin1');
      const stats = lstatSync(absolute);
      if (stats.isDirectory()) {
        state[`${path}/`] = 'dir';
        walk(path);
      } else if (stats.isSymbolicLink()) state[path] = `link ${readlinkSync(absolute)}`;
      else if (stats.isFile())
        state[path] = createHash('sha256').update(readFileSync(absolute)).digest('hex');
      else state[path] = 'special';
    }
  };
  walk('');
  return state;
}
