import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KilnConfigInput, kilnConfigSchema } from '../../../../contract/config-schema';
import {
  type BuildDescription,
  DESCRIPTION_FILE,
  RUNNER_FILE,
  RUNNER_MAP_FILE,
} from '../../../../contract/description';
import { KilnError } from '../../../../contract/errors';
import { describeProject } from '../../../../lib/pack/describe-project';
import { packProject } from '../../../../lib/pack/pack-project';
import { type FixtureEntry, makeProject, removeProject } from '../../../helpers/project-fixture';
import { readZip } from '../../../helpers/read-zip';

const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;

function description(config: KilnConfigInput = {}): BuildDescription {
  return { kilnVersion: '9.9.9', name: 'demo', config: kilnConfigSchema.parse(config), git: null };
}

describe('packProject', () => {
  const cleanup: string[] = [];
  let runnerBundlePath: string;
  beforeAll(async () => {
    const dir = await makeProject({
      'runner.cjs': 'console.log("runner");\n',
      'runner.cjs.map': '{"version":3}',
    });
    cleanup.push(dir);
    runnerBundlePath = join(dir, 'runner.cjs');
  });
  afterAll(async () => {
    await Promise.all(cleanup.map(removeProject));
  });
  const project = async (entries: Record<string, FixtureEntry>) => {
    const dir = await makeProject(entries);
    cleanup.push(dir);
    return dir;
  };
  const pack = async (projectDir: string, extra: Partial<Parameters<typeof packProject>[0]> = {}) => {
    const archive = await packProject({ projectDir, description: description(), runnerBundlePath, ...extra });
    cleanup.push(archive.path);
    return archive;
  };

  it("writes a valid zip of the file set plus kiln's reserved folder, and reports it", async () => {
    const dir = await project({
      'src/index.js': 'console.log(1);\n'.repeat(50),
      '.gitignore': 'tmp/\n',
      'tmp/x': 'x',
    });
    const archive = await pack(dir);
    const entries = await readZip(archive.path);
    expect(entries.map((entry) => entry.name)).toEqual([
      '.gitignore',
      DESCRIPTION_FILE,
      RUNNER_FILE,
      RUNNER_MAP_FILE,
      'src/index.js',
    ]);
    expect(archive.files.map((file) => file.path)).toEqual(['.gitignore', 'src/index.js']);
    expect(archive.totalUncompressed).toBe('tmp/\n'.length + 16 * 50);
    const bytes = await readFile(archive.path);
    expect(archive.size).toBe(bytes.length);
    expect(archive.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(execFileSync('unzip', ['-tq', archive.path]).toString()).toMatch(/No errors detected/);
  });

  it('ships the runner bundle and the build description as stable JSON', async () => {
    const dir = await project({ 'a.txt': 'a' });
    const entries = await readZip((await pack(dir)).path);
    const byName = new Map(entries.map((entry) => [entry.name, entry.content.toString()]));
    expect(byName.get(RUNNER_FILE)).toBe('console.log("runner");\n');
    expect(byName.get(RUNNER_MAP_FILE)).toBe('{"version":3}');
    const json = byName.get(DESCRIPTION_FILE)!;
    expect(JSON.parse(json)).toEqual(description());
    expect(json.indexOf('"config"')).toBeLessThan(json.indexOf('"git"'));
    expect(json.indexOf('"git"')).toBeLessThan(json.indexOf('"kilnVersion"'));
  });

  it('is deterministic: same files and contents give the same bytes, whatever the mtimes or location', async () => {
    const files = {
      'b/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 },
      'a.txt': 'hello\n'.repeat(100),
      l: { symlink: 'a.txt' },
    };
    const first = await project(files);
    const second = await project(files);
    const one = await pack(first);
    await utimes(join(first, 'a.txt'), new Date('2011-02-03'), new Date('2011-02-03'));
    const two = await pack(first);
    const three = await pack(second);
    expect(two.sha256).toBe(one.sha256);
    expect(three.sha256).toBe(one.sha256);
    expect(await readFile(two.path)).toEqual(await readFile(one.path));
    await writeFile(join(first, 'a.txt'), 'changed\n');
    expect((await pack(first)).sha256).not.toBe(one.sha256);
  });

  it('keeps Unix modes: executable bits and symlinks stored as links', async () => {
    const dir = await project({
      'bin/start': { content: '#!/bin/sh\n', mode: 0o755 },
      'README.txt': 'x',
      current: { symlink: 'bin' },
    });
    const entries = await readZip((await pack(dir)).path);
    const mode = (name: string) => entries.find((entry) => entry.name === name)!.mode;
    expect(mode('bin/start')).toBe(S_IFREG | 0o755);
    expect(mode('README.txt')).toBe(S_IFREG | 0o644);
    expect(mode('current')).toBe(S_IFLNK | 0o777);
    expect(entries.find((entry) => entry.name === 'current')!.content.toString()).toBe('bin');
  });

  it('stores already-compressed files and deflates the rest', async () => {
    const text = 'compress me please\n'.repeat(500);
    const dir = await project({
      'logo.png': text,
      'bundle.tar.gz': text,
      'app.js': text,
      'random.bin': randomBytes(4096),
    });
    const entries = await readZip((await pack(dir)).path);
    const method = (name: string) => entries.find((entry) => entry.name === name)!.method;
    expect(method('logo.png')).toBe(0);
    expect(method('bundle.tar.gz')).toBe(0);
    expect(method('app.js')).toBe(8);
    // Data that does not shrink is stored too.
    expect(method('random.bin')).toBe(0);
    expect(entries.find((entry) => entry.name === 'logo.png')!.content.toString()).toBe(text);
  });

  it('streams files too big for the look-ahead, with the same result', async () => {
    const big = Buffer.concat([Buffer.from('x'.repeat(6 * 1024 * 1024)), randomBytes(4 * 1024 * 1024)]);
    const dir = await project({
      'big.dat': big,
      'big.zip': big.subarray(0, 9 * 1024 * 1024),
      'small.txt': 's',
    });
    const archive = await pack(dir);
    const entries = await readZip(archive.path);
    expect(entries.find((entry) => entry.name === 'big.dat')!.content.equals(big)).toBe(true);
    expect(entries.find((entry) => entry.name === 'big.zip')!.method).toBe(0);
    expect(execFileSync('unzip', ['-tq', archive.path]).toString()).toMatch(/No errors detected/);
  });

  it('writes to -o, leaving an archive already inside the project out of the new one', async () => {
    const dir = await project({ 'a.txt': 'a' });
    const outFile = join(dir, 'out.zip');
    await pack(dir, { outFile });
    const again = await pack(dir, { outFile });
    expect(again.path).toBe(outFile);
    expect(again.files.map((file) => file.path)).toEqual(['a.txt']);
  });

  it('says so when the output file cannot be written', async () => {
    const dir = await project({ 'a.txt': 'a' });
    const outFile = join(dir, 'missing-dir', 'out.zip');
    await expect(pack(dir, { outFile })).rejects.toMatchObject({
      message: expect.stringMatching(
        /^cannot write the archive to .*missing-dir\/out\.zip: its folder does not exist/,
      ),
      hint: 'Pass -o a file path in an existing, writable folder.',
    });
  });

  it('says how to get the runner bundle when it or its source map is missing', async () => {
    const dir = await project({ 'a.txt': 'a', 'runner.cjs': 'x' });
    await expect(pack(dir, { runnerBundlePath: join(dir, 'nope.cjs') })).rejects.toThrow(
      /^runner bundle missing: run `npm run build`/,
    );
    await expect(pack(dir, { runnerBundlePath: join(dir, 'runner.cjs') })).rejects.toThrow(
      /^runner bundle missing: run `npm run build` \(looked for .*runner\.cjs\.map\)/,
    );
  });

  it('warns above remote.warnArchiveMiB with the biggest directories', async () => {
    const dir = await project({ 'assets/a.bin': randomBytes(700 * 1024), 'src/x.js': 'x', 'root.txt': 'r' });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await pack(dir, { description: description({ remote: { warnArchiveMiB: 0.5 } }) });
      const output = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(output).toContain('kiln: warning: the source archive is');
      expect(output).toContain(
        '(remote.warnArchiveMiB is 0.5). Biggest directories:\n    700 KiB  assets/\n',
      );
      expect(output).toContain('.kilnignore');
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses above remote.maxArchiveMiB with the fix, leaving no file behind', async () => {
    const dir = await project({ 'data/a.bin': randomBytes(1024 * 1024), 'b.txt': 'b' });
    const outFile = join(dir, 'out.zip');
    const error = await pack(dir, {
      outFile,
      description: description({ remote: { maxArchiveMiB: 0.5 } }),
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: expect.stringMatching(
        /^the source archive exceeds remote.maxArchiveMiB \(0.5 MiB\). Biggest directories:\n +1.0 MiB {2}data\//,
      ),
      hint: expect.stringContaining('.kilnignore'),
    });
    expect(existsSync(outFile)).toBe(false);
  });

  it('stops in the middle of a big streamed file when aborted', async () => {
    const dir = await project({ 'big.txt': randomBytes(24 * 1024 * 1024).toString('base64') });
    const outFile = join(dir, 'out.zip');
    const controller = new AbortController();
    const packing = pack(dir, { outFile, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(packing).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(existsSync(outFile)).toBe(false);
  });

  it('stops when aborted, leaving no file behind', async () => {
    const dir = await project({ 'a.txt': 'a' });
    const outFile = join(dir, 'out.zip');
    const controller = new AbortController();
    controller.abort();
    await expect(pack(dir, { outFile, signal: controller.signal })).rejects.toThrow();
    expect(existsSync(outFile)).toBe(false);
  });
});

describe('describeProject', () => {
  it('names the project after its directory and applies config overrides', async () => {
    const dir = await makeProject({ 'my-app/a.txt': 'a' });
    try {
      const result = await describeProject(join(dir, 'my-app'), { remote: { arch: 'arm64' } });
      expect(result.name).toBe('my-app');
      expect(result.config.remote.arch).toBe('arm64');
      expect(result.config.remote.maxArchiveMiB).toBe(500);
      expect(result.kilnVersion).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an invalid override as a KilnError naming the key, not a raw validation error', async () => {
    const dir = await makeProject({ 'kiln.config.json': '{}' });
    try {
      const failure = describeProject(dir, { remote: { timeoutMinutes: 1 } });
      await expect(failure).rejects.toBeInstanceOf(KilnError);
      await expect(failure).rejects.toThrow(
        /^the command-line flags \(over kiln\.config\.json\): "remote\.timeoutMinutes": Too small/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
