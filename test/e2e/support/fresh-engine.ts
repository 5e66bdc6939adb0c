// A docker engine of the test's own, for "CodeBuild conditions": each CodeBuild build starts on a
// fresh host, so before every build this engine restarts on an empty data root (the shared engine of
// the other suites keeps its images and cache) and gets back only the base images, as a host that
// pulls them would. The registry of the e2e environment is the only cache that survives.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker } from './docker';

const run = promisify(execFile);

/**
 * dockerd bind-mounts its data root onto itself and leaves it (and its network namespace file)
 * mounted after it exits; they must be unmounted, deepest first, before the directory can go.
 */
async function removeEngineDir(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mount) => mount === dir || mount.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const mount of mounts) await run('umount', [mount]).catch(() => run('umount', ['-l', mount]));
  await rm(dir, { recursive: true, force: true });
}

export class FreshEngine {
  private daemon: ChildProcess | undefined;
  private savedBase = false;
  /** DOCKER_HOST of this engine, for docker and kiln processes. */
  readonly env: Record<string, string>;

  /** An engine with its data root, exec root and socket under `dir` (root only); see reset(). */
  constructor(private readonly dir: string) {
    this.env = { DOCKER_HOST: `unix://${join(dir, 'docker.sock')}` };
  }

  docker(args: string[]): Promise<string> {
    return docker(args, { env: this.env });
  }

  /**
   * A new host: dockerd (re)started on an empty data root (no image, container or build cache), then
   * the base images, saved once from the shared engine (where scripts/e2e/up.sh made them), loaded.
   */
  async reset(baseImages: string[]): Promise<void> {
    await this.stopDaemon();
    await removeEngineDir(join(this.dir, 'data'));
    await mkdir(this.dir, { recursive: true });
    this.daemon = spawn(
      'dockerd',
      [
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
        '--data-root',
        join(this.dir, 'data'),
        '--exec-root',
        join(this.dir, 'exec'),
        '--pidfile',
        join(this.dir, 'dockerd.pid'),
        '--host',
        this.env.DOCKER_HOST as string,
      ],
      { stdio: 'ignore' },
    );
    await this.answering();
    const saved = join(this.dir, 'base-images.tar');
    if (!this.savedBase) {
      await docker(['save', '-o', saved, ...baseImages]);
      this.savedBase = true;
    }
    await this.docker(['load', '-i', saved]);
  }

  private async answering(): Promise<void> {
    for (let attempt = 0; attempt < 120; attempt++) {
      if (await this.docker(['info', '--format', '{{.ServerVersion}}']).then(Boolean, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`the fresh dockerd under ${this.dir} did not answer within 60s`);
  }

  private async stopDaemon(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null) return;
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.stopDaemon();
    await removeEngineDir(this.dir);
  }
}
