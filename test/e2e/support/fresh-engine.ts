// A docker engine of the test's own, for "CodeBuild conditions": each CodeBuild build starts on a
// fresh host, so before every build this engine loses every image and all builder cache (which the
// shared engine of the other suites must keep), and gets back only the base images, as a host that
// pulls them would. The registry of the e2e environment is the only cache that survives.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { docker } from './docker';

export class FreshEngine {
  private constructor(
    private readonly dir: string,
    private readonly daemon: ChildProcess,
    /** DOCKER_HOST of this engine, for docker and kiln processes. */
    readonly env: Record<string, string>,
  ) {}

  /** Starts dockerd with its own data root, exec root and socket under `dir` (root only). */
  static async start(dir: string): Promise<FreshEngine> {
    await mkdir(dir, { recursive: true });
    const host = `unix://${join(dir, 'docker.sock')}`;
    const daemon = spawn(
      'dockerd',
      [
        '--bridge=none',
        '--iptables=false',
        '--ip6tables=false',
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'dockerd.pid'),
        '--host',
        host,
      ],
      { stdio: 'ignore' },
    );
    const engine = new FreshEngine(dir, daemon, { DOCKER_HOST: host });
    for (let attempt = 0; attempt < 120; attempt++) {
      if (await engine.docker(['info', '--format', '{{.ServerVersion}}']).then(Boolean, () => false))
        return engine;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await engine.stop();
    throw new Error(`the fresh dockerd under ${dir} did not answer within 60s`);
  }

  docker(args: string[]): Promise<string> {
    return docker(args, { env: this.env });
  }

  /**
   * Back to a new host's state: no containers, images or build cache; then the base images, saved
   * once from the shared engine (where scripts/e2e/up.sh made them), loaded.
   */
  async reset(baseImages: string[]): Promise<void> {
    await this.docker(['system', 'prune', '--all', '--force']);
    await this.docker(['builder', 'prune', '--all', '--force']);
    const saved = join(this.dir, 'base-images.tar');
    if (!this.savedBase) {
      await docker(['save', '-o', saved, ...baseImages]);
      this.savedBase = true;
    }
    await this.docker(['load', '-i', saved]);
  }

  private savedBase = false;

  async stop(): Promise<void> {
    this.daemon.kill('SIGTERM');
    await new Promise((resolve) => {
      if (this.daemon.exitCode !== null) resolve(undefined);
      else this.daemon.once('exit', resolve);
    });
    await rm(this.dir, { recursive: true, force: true });
  }
}
