// The real DockerClient against a stand-in `docker` script: streaming, masking, stdin, exit codes.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliDockerClient } from '../../../../runner/docker/cli-docker-client';
import { RunnerLog } from '../../../../runner/log/logger';

let dir: string;
let binary: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-cli-docker-'));
  binary = join(dir, 'docker');
  await writeFile(
    binary,
    `#!/bin/bash
echo "args: $*"
echo "to stderr: $SECRET_VALUE" >&2
if [ "$1" = login ]; then echo "stdin: $(cat)"; fi
exit "\${EXIT_WITH:-0}"
`,
  );
  await chmod(binary, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function client() {
  const lines: string[] = [];
  const log = new RunnerLog(undefined, (line) => lines.push(line));
  log.masker.add('s3cret-value');
  return { lines, docker: new CliDockerClient(log, binary) };
}

it('streams stdout and stderr line by line, masked, and returns stdout and the exit code', async () => {
  const { lines, docker } = client();
  const result = await docker.run(['build', '--build-arg', 'X'], {
    env: { SECRET_VALUE: 's3cret-value', EXIT_WITH: '3' },
  });
  expect(result).toEqual({ exitCode: 3, stdout: 'args: build --build-arg X' });
  expect(lines.sort()).toEqual(['  │ args: build --build-arg X', '  │ to stderr: ****']);
});

it('writes the input to stdin, and stays silent when quiet', async () => {
  const { lines, docker } = client();
  const result = await docker.run(['login', '--password-stdin', 'host'], { input: 'pw', quiet: true });
  expect(result.stdout).toBe('args: login --password-stdin host\nstdin: pw');
  expect(lines).toEqual([]);
});

it('says when docker is not installed', async () => {
  const log = new RunnerLog(undefined, () => {});
  await expect(new CliDockerClient(log, join(dir, 'missing-docker')).run(['version'])).rejects.toThrow(
    /missing-docker was not found on PATH/,
  );
});
