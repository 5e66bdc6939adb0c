// Git facts for the build description and image tags, read with the `git` CLI. A directory that is
// not a repository (or a machine without git) is not an error: the build just has no git info.
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
  const git = async (...args: string[]): Promise<string | null> => {
    try {
      const { stdout } = await execFileAsync('git', ['-C', projectDir, ...args], {
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout.trim();
    } catch {
      return null;
    }
  };
  if ((await git('rev-parse', '--is-inside-work-tree')) !== 'true') return null;
  const [sha, branch, status] = await Promise.all([
    git('rev-parse', '--verify', '--quiet', 'HEAD'),
    git('symbolic-ref', '--quiet', '--short', 'HEAD'),
    git('status', '--porcelain', '--untracked-files=normal'),
  ]);
  return {
    ...(sha ? { sha } : {}),
    ...(branch ? { branch } : {}),
    dirty: status !== null && status !== '',
  };
}
