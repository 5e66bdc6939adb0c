import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerDockerfileCommand } from '../../../../../lib/commands/dockerfile/register';
import { registerInitCommand } from '../../../../../lib/commands/init/register';
import { defaultConfig } from '../../../../../lib/config/defaults';
import { loadConfig } from '../../../../../lib/config/load';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'fixtures');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiln-init-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ stderr: string; error?: Error }> {
  let stderr = '';
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const program = new Command('kiln').exitOverride();
    registerInitCommand(program);
    registerDockerfileCommand(program);
    await program.parseAsync(['node', 'kiln', ...args]);
    return { stderr };
  } catch (error) {
    return { stderr, error: error as Error };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

function app(): string {
  const dir = join(root, 'app');
  cpSync(join(FIXTURES, 'node-express'), dir, { recursive: true });
  rmSync(join(dir, 'Dockerfile.golden'));
  return dir;
}

describe('kiln init', () => {
  it('writes a commented kiln.config.json that changes nothing, and prints what the Dockerfile will be', async () => {
    const dir = app();
    const { stderr, error } = await run('init', dir);
    expect(error).toBeUndefined();
    const text = readFileSync(join(dir, 'kiln.config.json'), 'utf8');
    expect(text).toMatch(/^\/\/ kiln settings for this project/);
    expect(text).toContain('"$schema": "file://');
    expect(text).toContain('  // "startCommand": "node server.js", // from package.json (scripts.start)\n');
    // Only what differs from the defaults: loading it gives the defaults.
    const { config } = await loadConfig(dir);
    const { $schema, ...rest } = config;
    expect(existsSync(new URL($schema!))).toBe(true);
    expect(rest).toEqual(defaultConfig());
    expect(stderr).toContain('framework: express\n');
    expect(stderr).toContain('stages: base (node:22-bookworm-slim), deps, build, deployment\n');
  });

  it('every commented-out override, uncommented, is a valid config', async () => {
    const dir = app();
    await run('init', dir);
    const path = join(dir, 'kiln.config.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^ {2}\/\/ (")/gm, '  $1'));
    const { config } = await loadConfig(dir);
    expect(config).toMatchObject({ framework: 'express', port: 3000, startCommand: 'node server.js' });
  });

  it('never overwrites without --force', async () => {
    const dir = app();
    writeFileSync(join(dir, 'kiln.config.json'), '{ "port": 8080 }');
    const { error } = await run('init', dir);
    expect(error?.message).toContain('kiln.config.json already exists; kiln init leaves it as it is');
    expect(readFileSync(join(dir, 'kiln.config.json'), 'utf8')).toBe('{ "port": 8080 }');
    expect((await run('init', dir, '--force')).error).toBeUndefined();
    expect(readFileSync(join(dir, 'kiln.config.json'), 'utf8')).not.toContain('8080');
  });

  it('refuses a directory with no app with kiln dockerfile’s message, and writes nothing', async () => {
    writeFileSync(join(root, 'README.md'), '# notes\n');
    const init = await run('init', root);
    const dockerfile = await run('dockerfile', root);
    expect(init.error?.message).toMatch(/^no app kiln recognises/);
    expect(init.error?.message).toBe(dockerfile.error?.message);
    expect(existsSync(join(root, 'kiln.config.json'))).toBe(false);
  });

  it('a project kiln cannot detect but with a Dockerfile gets "dockerfile": { "custom": true }', async () => {
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
    const { error, stderr } = await run('init', root);
    expect(error).toBeUndefined();
    expect((await loadConfig(root)).config.dockerfile.custom).toBe(true);
    expect(stderr).toContain("mode: the project's own Dockerfile");
  });
});
