// The docker CLI against the e2e engine, and cleanup of what a test creates.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { upEnvironment } from './environment';
import { registryClientEnv } from './registry';

const run = promisify(execFile);

/**
 * The harness's docker: its registry requests carry the harness's credentials, so they are not
 * recorded as the build's (./registry.ts). `env` overrides the e2e environment, e.g. DOCKER_HOST of a
 * fresh engine (./fresh-engine.ts).
 */
export async function docker(args: string[], options: DockerOptions = {}): Promise<string> {
  return (await dockerStreams(args, options)).stdout;
}

export interface DockerOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** The same, with stderr too: `docker logs` writes a container's stderr there. */
export function dockerStreams(
  args: string[],
  options: DockerOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return run('docker', args, {
    env: { ...process.env, ...upEnvironment().env, ...registryClientEnv('harness'), ...options.env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 10 * 60_000,
  });
}

/** Runs a command in a fresh container and returns its output; the container goes with cleanup. */
export async function runOnce(cleanup: DockerCleanup, ref: string, command: string[] = []): Promise<string> {
  const name = cleanup.container(`kiln-e2e-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`);
  return docker(['run', '--rm', '--name', name, ref, ...command], { timeoutMs: 60_000 });
}

/** `docker image inspect` of one image, parsed. */
export async function inspectImage(ref: string): Promise<ImageInspect> {
  return (JSON.parse(await docker(['image', 'inspect', ref])) as ImageInspect[])[0] as ImageInspect;
}

export interface ImageInspect {
  Id: string;
  Size: number;
  RepoDigests: string[];
  Config: { User: string; Env: string[]; Labels: Record<string, string> | null };
}

/** Containers and images a test created, removed in afterAll whatever happened. */
export class DockerCleanup {
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();

  container(id: string): string {
    this.containers.add(id);
    return id;
  }

  image(ref: string): string {
    this.images.add(ref);
    return ref;
  }

  /**
   * The tags and digest reference of a kiln build; returns the digest reference. kiln's own
   * `cache-<name>` tag stays in the registry: it is the cache the next run of the suite builds from
   * (its local name goes with the file's registry address, see ./suite.ts).
   */
  build(built: { imageUri: string; tags: string[]; digest: string }): string {
    const repository = built.imageUri.slice(0, built.imageUri.lastIndexOf(':'));
    for (const tag of built.tags) this.image(`${repository}:${tag}`);
    return this.image(`${repository}@${built.digest}`);
  }

  async run(): Promise<void> {
    if (this.containers.size) await docker(['rm', '-f', ...this.containers]).catch(() => '');
    for (const image of this.images) await docker(['rmi', '-f', image]).catch(() => '');
    this.containers.clear();
    this.images.clear();
  }
}
