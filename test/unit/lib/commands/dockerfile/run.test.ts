import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerDockerfileCommand } from '../../../../../lib/commands/dockerfile/register';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'fixtures');

async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const program = new Command('kiln').exitOverride();
    registerDockerfileCommand(program);
    await program.parseAsync(['node', 'kiln', 'dockerfile', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

describe('kiln dockerfile', () => {
  it('prints the generated Dockerfile to stdout', async () => {
    const { stdout, stderr } = await run(join(FIXTURES, 'node-express'));
    expect(stdout).toBe(readFileSync(join(FIXTURES, 'node-express', 'Dockerfile.golden'), 'utf8'));
    expect(stderr).toBe('');
  });

  it('--explain prints the detection report, with the file behind each decision, to stderr', async () => {
    const { stdout, stderr } = await run(join(FIXTURES, 'sinatra-rack'), '--explain');
    expect(stdout).toMatch(/^# Base/);
    expect(stderr).toContain('framework: rack\n');
    expect(stderr).toContain('ruby version   3.2  (from .tool-versions)');
    expect(stderr).toContain(
      'build: libmagickwand-dev; runtime: imagemagick  (for rmagick, from Gemfile.lock)',
    );
    expect(stderr).toContain('build: git ca-certificates  (for git-sourced dependencies, from Gemfile.lock)');
    expect(stderr).toContain('AWS credentials: BuildKit secret file /run/secrets/aws-credentials');
  });

  it('--builder classic shows the credentials as build args after the dependency install', async () => {
    const { stdout, stderr } = await run(join(FIXTURES, 'node-express'), '--builder', 'classic', '--explain');
    expect(stdout).toContain('FROM deps AS build\n\n# AWS credentials (build args)');
    expect(stdout).not.toContain('--mount=type=secret');
    expect(stderr).toContain('AWS credentials: build args AWS_* (classic builder)');
  });

  it('-o writes the Dockerfile to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-dockerfile-'));
    try {
      const output = join(dir, 'Dockerfile');
      const { stdout, stderr } = await run(join(FIXTURES, 'go-http'), '-o', output);
      expect(stdout).toBe('');
      expect(stderr).toBe(`kiln: wrote ${output}\n`);
      expect(readFileSync(output, 'utf8')).toContain('FROM golang:1.19-bookworm AS deps');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says clearly when the project brings its own Dockerfile, or a prebuilt image', async () => {
    expect((await run(join(FIXTURES, 'custom-dockerfile'))).stderr).toBe(
      'kiln: this project brings its own Dockerfile (Dockerfile, set by dockerfile.custom); kiln builds it as is and generates nothing.\n',
    );
    expect((await run(join(FIXTURES, 'prebuilt-image'))).stderr).toBe(
      'kiln: this project uses a prebuilt image (registry.example.com/team/app:1.2.3, prebuilt image from docker.image); there is no Dockerfile to generate.\n',
    );
  });

  it('prints warnings to stderr', async () => {
    expect((await run(join(FIXTURES, 'node-canvas-git'))).stderr).toContain(
      'kiln: warning: no lockfile for npm',
    );
  });

  it('fails with a KilnError for a directory that does not exist', async () => {
    await expect(run(join(FIXTURES, 'missing'))).rejects.toThrow(/missing is not a directory/);
  });
});
