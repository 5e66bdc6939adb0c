import { symlink } from 'node:fs/promises';
import { listProjectFiles } from '../../../../lib/pack/file-set';
import { makeProject, removeProject } from '../../../helpers/project-fixture';

const paths = async (dir: string) => (await listProjectFiles(dir)).map((file) => file.path);

describe('listProjectFiles', () => {
  const dirs: string[] = [];
  const project = async (entries: Parameters<typeof makeProject>[0]) => {
    const dir = await makeProject(entries);
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map(removeProject));
  });

  it('lists everything but .git, sorted, with sizes', async () => {
    const dir = await project({
      'b.txt': 'bb',
      'a/z.txt': 'z',
      'a/y.txt': 'yyy',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'vendor/lib/.git': 'gitdir: ../../.git/modules/lib\n',
    });
    const files = await listProjectFiles(dir);
    expect(files.map((file) => [file.path, file.size])).toEqual([
      ['a/y.txt', 3],
      ['a/z.txt', 1],
      ['b.txt', 2],
    ]);
  });

  it('applies nested .gitignore files relative to their own directory', async () => {
    const dir = await project({
      '.gitignore': 'node_modules/\n*.log\n',
      'node_modules/dep/index.js': 'x',
      'app.log': 'x',
      'src/.gitignore': '/generated/\n!important.log\n',
      'src/generated/out.js': 'x',
      'src/important.log': 'x',
      'src/main.js': 'x',
      'generated/kept.js': 'x',
    });
    expect(await paths(dir)).toEqual([
      '.gitignore',
      'generated/kept.js',
      'src/.gitignore',
      'src/important.log',
      'src/main.js',
    ]);
  });

  it('leaves node_modules out at any depth without an ignore file, with no warning', async () => {
    const warnings = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const dir = await project({
        'package.json': '{}',
        'node_modules/left-pad/index.js': 'x',
        'web/node_modules/react/index.js': 'x',
        'web/src/node_modules.txt': 'x',
      });
      expect(await paths(dir)).toEqual(['package.json', 'web/src/node_modules.txt']);
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });

  it('packs node_modules that .kilnignore re-includes, warning what COPY . . then does', async () => {
    let stderr = '';
    const warnings = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      const dir = await project({
        '.kilnignore': '!node_modules/\n',
        'node_modules/left-pad/index.js': 'x',
        'web/node_modules/react/index.js': 'x',
      });
      expect(await paths(dir)).toEqual([
        '.kilnignore',
        'node_modules/left-pad/index.js',
        'web/node_modules/react/index.js',
      ]);
      expect(stderr).toBe(
        "kiln: warning: node_modules, web/node_modules are packed (re-included by .kilnignore): a Dockerfile's `COPY . .` lays these modules, built for this machine, over the ones installed in the image\n",
      );
    } finally {
      warnings.mockRestore();
    }
  });

  it('applies .dockerignore, then .kilnignore whose `!` rules re-include', async () => {
    const dir = await project({
      '.gitignore': 'dist/\n.env.*\n',
      '.dockerignore': 'docs\n*.md\n',
      '.kilnignore': '!dist/\n!.env.production\ntest/\n',
      'dist/app.js': 'x',
      '.env.production': 'x',
      '.env.local': 'x',
      'docs/guide.txt': 'x',
      'README.md': 'x',
      'src/README.md': 'x',
      'test/a.test.js': 'x',
      'index.js': 'x',
    });
    expect(await paths(dir)).toEqual([
      '.dockerignore',
      '.env.production',
      '.gitignore',
      '.kilnignore',
      'dist/app.js',
      'index.js',
      'src/README.md',
    ]);
  });

  it('keeps the executable bit (normalised like git: 755 or 644)', async () => {
    const dir = await project({
      'run.sh': { content: '#!/bin/sh\n', mode: 0o700 },
      'data.txt': { content: 'x', mode: 0o600 },
    });
    const files = await listProjectFiles(dir);
    expect(files.map((file) => [file.path, file.mode.toString(8)])).toEqual([
      ['data.txt', '644'],
      ['run.sh', '755'],
    ]);
  });

  it('keeps symlinks inside the project as links, absolute targets made relative', async () => {
    const dir = await project({
      'src/index.js': 'x',
      'link.js': { symlink: 'src/index.js' },
      lib: { symlink: 'src' },
    });
    const files = await listProjectFiles(dir);
    expect(files.filter((file) => file.isSymlink).map((file) => [file.path, file.linkTarget])).toEqual([
      ['lib', 'src'],
      ['link.js', 'src/index.js'],
    ]);
  });

  it('rewrites an absolute link into the project as a relative one', async () => {
    const dir = await project({ 'src/index.js': 'x' });
    await symlink(`${dir}/src/index.js`, `${dir}/abs.js`);
    const link = (await listProjectFiles(dir)).find((file) => file.path === 'abs.js');
    expect(link).toMatchObject({ isSymlink: true, linkTarget: 'src/index.js' });
  });

  it('refuses a symlink that leaves the project, naming the link and its target', async () => {
    const dir = await project({ 'config/secrets': { symlink: '../../elsewhere/secrets' } });
    await expect(listProjectFiles(dir)).rejects.toThrow(
      'symlink config/secrets points outside the project (to ../../elsewhere/secrets)',
    );
  });

  it('does not look at links it excludes', async () => {
    const dir = await project({ '.kilnignore': 'outside\n', outside: { symlink: '/etc' }, 'a.txt': 'x' });
    expect(await paths(dir)).toEqual(['.kilnignore', 'a.txt']);
  });

  it('says so when the project directory does not exist', async () => {
    await expect(listProjectFiles('/nonexistent/kiln-project')).rejects.toThrow(
      '/nonexistent/kiln-project is not a project directory (it does not exist or is not a directory)',
    );
  });

  it("refuses user files in kiln's reserved .kiln-build/ folder, with the fix", async () => {
    const dir = await project({ '.kiln-build/build.json': '{}' });
    const error = await listProjectFiles(dir).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message:
        ".kiln-build/build.json: the .kiln-build/ folder is reserved for kiln's own files in the source archive",
      hint: 'Rename it, or exclude it by adding ".kiln-build/" to .kilnignore.',
    });
  });
});
