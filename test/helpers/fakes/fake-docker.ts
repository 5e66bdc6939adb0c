// A DockerClient that records every invocation and answers from a script; no docker needed.
import { writeFileSync } from 'node:fs';
import type { DockerClient, DockerResult, DockerRunOptions } from '../../../runner/docker/docker-client';

export interface DockerCall {
  args: string[];
  options: DockerRunOptions;
}

type Responder = (args: string[]) => Partial<DockerResult> | undefined;

export class FakeDocker implements DockerClient {
  readonly calls: DockerCall[] = [];
  private readonly responders: Responder[] = [];

  constructor(options: { buildx?: boolean } = {}) {
    if (!options.buildx) this.on((args) => (args[0] === 'buildx' ? { exitCode: 1 } : undefined));
  }

  /** Answers matching invocations; later responders win. */
  on(responder: Responder): this {
    this.responders.unshift(responder);
    return this;
  }

  /** Makes the first command whose argv starts with `prefix` exit with `exitCode`. */
  failing(prefix: string[], exitCode = 1): this {
    return this.on((args) => (prefix.every((part, i) => args[i] === part) ? { exitCode } : undefined));
  }

  async run(args: readonly string[], options: DockerRunOptions = {}): Promise<DockerResult> {
    const copy = [...args];
    this.calls.push({ args: copy, options });
    const metadataAt = copy.indexOf('--metadata-file');
    if (metadataAt !== -1 && copy.includes('--push')) {
      writeFileSync(
        copy[metadataAt + 1] as string,
        JSON.stringify({ 'containerimage.digest': BUILDX_DIGEST }),
      );
    }
    for (const responder of this.responders) {
      const answer = responder(copy);
      if (answer) return { exitCode: 0, stdout: '', ...answer };
    }
    // A fresh engine: no image is present locally until a test says so.
    if (copy[0] === 'image' && copy[1] === 'inspect') return { exitCode: 1, stdout: '' };
    if (copy[0] === 'push') return { exitCode: 0, stdout: `${copy[1]}: digest: ${PUSH_DIGEST} size: 1234` };
    return { exitCode: 0, stdout: '' };
  }

  /** argv of every call, joined, for readable assertions. */
  commands(): string[] {
    return this.calls.map((call) => call.args.join(' '));
  }
}

export const PUSH_DIGEST = `sha256:${'a'.repeat(64)}`;
export const BUILDX_DIGEST = `sha256:${'b'.repeat(64)}`;
