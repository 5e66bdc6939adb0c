// DockerClient over the docker CLI: output streamed line by line (masked) into the runner log.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { KilnError } from '../../contract/errors';
import type { RunnerLog } from '../log/logger';
import type { DockerClient, DockerResult, DockerRunOptions } from './docker-client';

export class CliDockerClient implements DockerClient {
  constructor(
    private readonly log: RunnerLog,
    private readonly binary = 'docker',
  ) {}

  run(args: readonly string[], options: DockerRunOptions = {}): Promise<DockerResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, {
        env: { ...process.env, ...options.env },
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const stdout: string[] = [];
      const stream = (source: Readable | null, keep: boolean) => {
        if (!source) return;
        createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
          if (keep) stdout.push(line);
          if (!options.quiet) this.log.output(line);
        });
      };
      stream(child.stdout, true);
      stream(child.stderr, false);
      child.stdin?.end(options.input);
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new KilnError(`${this.binary} was not found on PATH`, 'Install Docker and start its daemon.')
            : error,
        );
      });
      // 'close' (not 'exit') fires after both output streams are drained.
      child.on('close', (code, signal) => {
        resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: stdout.join('\n') });
      });
    });
  }
}
