// A built image run as a server on the host network (the e2e engine has no bridge), and its first
// answer; when it gives none, the error says why: the container's state and both of its log streams.
import { docker, dockerStreams } from './docker';
import { freePort, waitForBody } from './http';

export interface ServeOptions {
  /** Overrides of the e2e environment, e.g. DOCKER_HOST of a fresh engine. */
  env?: Record<string, string>;
  /** Told the container's id as soon as it exists, so the caller's cleanup removes it whatever happens. */
  track?: (container: string) => void;
}

/** `docker run -d` of `ref` with PORT set to a free port, then the body of its first answer to GET /. */
export async function serveImage(
  ref: string,
  options: ServeOptions = {},
): Promise<{ container: string; body: string }> {
  const port = await freePort();
  const container = (
    await docker(['run', '-d', '--network', 'host', '-e', `PORT=${port}`, ref], { env: options.env })
  ).trim();
  options.track?.(container);
  try {
    return { container, body: await waitForBody(`http://127.0.0.1:${port}/`) };
  } catch (error) {
    throw new Error(`${String(error)}\n${await describeContainer(container, options.env)}`);
  }
}

/** State, exit code and the output of both streams (a crash is on stderr, which `docker()` drops). */
async function describeContainer(container: string, env?: Record<string, string>): Promise<string> {
  const state = await docker(
    ['inspect', '--format', '{{.State.Status}} (exit code {{.State.ExitCode}}) {{.State.Error}}', container],
    { env },
  ).then(
    (stdout) => stdout.trim(),
    (error: Error) => `unknown: ${error.message}`,
  );
  const logs = await dockerStreams(['logs', container], { env }).then(
    ({ stdout, stderr }) => `stdout:\n${stdout}stderr:\n${stderr}`,
    (error: Error) => `unreadable: ${error.message}`,
  );
  return `container ${container.slice(0, 12)}: ${state}\n${logs}`;
}
