// `kiln pack` as a user runs it: the built CLI as a real process.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../../../../helpers/processes';
import { makeProject, removeProject } from '../../../../helpers/project-fixture';
import { readZip } from '../../../../helpers/read-zip';
import { runCli, startCli } from '../../../cli/run-cli';

jest.setTimeout(30_000);

describe('kiln pack', () => {
  let project: string;
  beforeAll(async () => {
    project = await makeProject({
      '.gitignore': 'node_modules/\n',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
      'package.json': '{"name":"demo"}\n',
      'src/index.js': 'console.log("hi");\n'.repeat(100),
      'bin/start': { content: '#!/bin/sh\nnode src/index.js\n', mode: 0o755 },
      'kiln.config.json': '{"name":"shop"}\n',
    });
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('--list prints what leaves the machine, with sizes and a total', async () => {
    const { code, stdout } = await runCli(['pack', project, '--list'], {});
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        '     14 B  .gitignore',
        '     28 B  bin/start',
        '     16 B  kiln.config.json',
        '     16 B  package.json',
        '  1.9 KiB  src/index.js',
        "5 files, 1.9 KiB (plus kiln's .kiln-build/: the build runner and build.json)",
        '',
      ].join('\n'),
    );
  });

  it('-o writes the archive there and prints its path, size, file count and sha256', async () => {
    const out = join(project, 'out.zip');
    const { code, stdout } = await runCli(['pack', project, '-o', out], {});
    expect(code).toBe(0);
    const bytes = await readFile(out);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(stdout).toContain(`${out}\n  5 files, 1.9 KiB → `);
    expect(stdout).toContain(`  sha256 ${sha256}\n`);
    const entries = await readZip(out);
    expect(entries.map((entry) => entry.name)).toContain('.kiln-build/build.json');
    const description = JSON.parse(
      entries.find((entry) => entry.name === '.kiln-build/build.json')!.content.toString(),
    );
    expect(description).toMatchObject({ name: 'shop', git: null });
  });

  it('Ctrl-C while packing removes the partial archive and exits with 130', async () => {
    // 48 MiB of incompressible-looking text: a few seconds of deflate, time enough to interrupt.
    const dir = await makeProject({ 'big.txt': randomBytes(36 * 1024 * 1024).toString('base64') });
    const out = join(dir, 'out.zip');
    try {
      const run = startCli(['pack', dir, '-o', out], {});
      await waitFor(() => existsSync(out));
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(130);
      expect(run.stderr()).toBe('kiln: interrupted: no archive written\n');
      expect(existsSync(out)).toBe(false);
    } finally {
      await removeProject(dir);
    }
  });

  it('refuses an escaping symlink with one clear line and the fix, exit code 1', async () => {
    const dir = await makeProject({ 'a.txt': 'a', leak: { symlink: '/etc/hostname' } });
    try {
      const { code, stdout, stderr } = await runCli(['pack', dir], {});
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'kiln: symlink leak points outside the project (to /etc/hostname)\n' +
          '  The remote build only receives the project directory. Replace the link with a copy of its target, or exclude it in .kilnignore.\n',
      );
    } finally {
      await removeProject(dir);
    }
  });
});
