import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readGitInfo } from '../../../../lib/git/git-info';
import { makeProject, removeProject } from '../../../helpers/project-fixture';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

describe('readGitInfo', () => {
  const dirs: string[] = [];
  const project = async () => {
    const dir = await makeProject({ 'a.txt': 'a' });
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map(removeProject));
  });

  it('is null outside a repository', async () => {
    expect(await readGitInfo(await project())).toBeNull();
  });

  it('reads sha, branch and a clean tree', async () => {
    const dir = await project();
    git(dir, 'init', '-q', '-b', 'feature/x');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    expect(await readGitInfo(dir)).toEqual({
      sha: git(dir, 'rev-parse', 'HEAD'),
      branch: 'feature/x',
      dirty: false,
    });
  });

  it('is dirty with a modified or an untracked file', async () => {
    const dir = await project();
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    await writeFile(join(dir, 'new.txt'), 'n');
    expect((await readGitInfo(dir))?.dirty).toBe(true);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'two');
    await writeFile(join(dir, 'a.txt'), 'changed');
    expect((await readGitInfo(dir))?.dirty).toBe(true);
  });

  it('has no branch on a detached HEAD, and no sha before the first commit', async () => {
    const dir = await project();
    git(dir, 'init', '-q', '-b', 'main');
    expect(await readGitInfo(dir)).toEqual({ branch: 'main', dirty: true });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'init');
    git(dir, 'checkout', '-q', '--detach');
    const info = await readGitInfo(dir);
    expect(info?.branch).toBeUndefined();
    expect(info?.sha).toMatch(/^[0-9a-f]{40}$/);
  });
});
