// Git facts for the build description and image tags, read with one `git status` call. A directory
// that is not a repository (or a machine without git) is not an error: the build has no git info.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface GitInfo {
  /** Full sha of HEAD; absent before the first commit. */
  sha?: string;
  /** Current branch; absent on a detached HEAD. */
  branch?: string;
  /** Uncommitted changes, untracked files included. */
  dirty: boolean;
}

export async function readGitInfo(projectDir: string): Promise<GitInfo | null> {
  let status: string;
  try {
    const { stdout } = await execFileAsync(
      'git',
      ['-C', projectDir, 'status', '--porcelain=v2', '--branch', '--untracked-files=normal'],
      { env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 },
    );
    status = stdout;
  } catch {
    return null;
  }
  return parseStatus(status);
}

/** `git status --porcelain=v2 --branch`: `# branch.oid`/`# branch.head` headers, then one line per change. */
function parseStatus(status: string): GitInfo {
  const lines = status.split('\n').filter((line) => line !== '');
  const header = (name: string) =>
    lines.find((line) => line.startsWith(`# branch.${name} `))?.slice(`# branch.${name} `.length);
  const sha = header('oid');
  const branch = header('head');
  return {
    ...(sha && sha !== '(initial)' ? { sha } : {}),
    ...(branch && branch !== '(detached)' ? { branch } : {}),
    dirty: lines.some((line) => !line.startsWith('#')),
  };
}
