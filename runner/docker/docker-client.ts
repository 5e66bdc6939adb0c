// The one seam between the runner and the docker engine: run a docker command. The real client
// spawns the docker CLI; unit tests use a fake that records the calls.
import { KilnError } from '../../contract/errors';

export interface DockerRunOptions {
  /** Added to the inherited environment; this is how secret build-arg values reach docker. */
  env?: Record<string, string>;
  /** Written to stdin (e.g. a registry password for `login --password-stdin`). */
  input?: string;
  /** Don't stream the output to the log (probes and inspections). */
  quiet?: boolean;
}

export interface DockerResult {
  exitCode: number;
  /** Everything the command wrote to stdout. */
  stdout: string;
}

export interface DockerClient {
  run(args: readonly string[], options?: DockerRunOptions): Promise<DockerResult>;
}

/** Runs a docker command that must succeed; a failure says which command and its exit code. */
export async function runDocker(
  docker: DockerClient,
  args: readonly string[],
  options?: DockerRunOptions,
): Promise<DockerResult> {
  const result = await docker.run(args, options);
  if (result.exitCode !== 0) throw dockerFailure(args, result.exitCode);
  return result;
}

/** Whether this engine has the image locally (no pull). */
export async function hasLocalImage(docker: DockerClient, ref: string): Promise<boolean> {
  const inspected = await docker.run(['image', 'inspect', '--format', '{{.Id}}', ref], { quiet: true });
  return inspected.exitCode === 0;
}

/** `docker build exited with code 1`: the subcommand that failed, and its exit code. */
export function dockerFailure(args: readonly string[], exitCode: number): KilnError {
  const command = args[0] === 'buildx' ? `docker buildx ${args[1]}` : `docker ${args[0]}`;
  return new KilnError(`${command} exited with code ${exitCode}`, 'See the docker output above.');
}
