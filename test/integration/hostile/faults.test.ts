// The hostile catalogue, faults part: signals at every stage, closed output streams, AWS and S3
// endpoints that hang, fail or answer with something that is not AWS, and untrusted remote output,
// against real child processes of the CLI, s3rver and the loopback AWS fake. Each case checks the
// exit code, the line the user reads and that nothing was left behind: no temp file, no multipart
// upload, no build still running unless detached on purpose.
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { type AwsFake, FAKE_ACCOUNT, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import { errorLine, expectNoInternals } from '../../helpers/hostile';
import { isRunning, waitFor } from '../../helpers/processes';
import { type S3rverHandle, startS3rver } from '../../helpers/s3rver';
import { startCli } from '../cli/run-cli';

jest.setTimeout(60_000);

const BUCKET = `kiln-source-${FAKE_ACCOUNT}-us-east-1`;
let s3: S3rverHandle;
let fake: AwsFake;
let root: string;
let small: string;
let big: string;
let temp: string;
let env: NodeJS.ProcessEnv;
const servers: Server[] = [];

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  root = mkdtempSync(join(tmpdir(), 'kiln-faults-'));
  small = join(root, 'small');
  big = join(root, 'big');
  for (const dir of [small, big]) mkdirSync(dir);
  writeFileSync(
    join(small, 'package.json'),
    JSON.stringify({ name: 'demo', scripts: { start: 'node i.js' } }),
  );
  writeFileSync(join(small, 'i.js'), '1\n');
  writeFileSync(join(big, 'package.json'), JSON.stringify({ name: 'big', scripts: { start: 'node i.js' } }));
  writeFileSync(join(big, 'blob.bin'), randomBytes(40 * 1024 * 1024));
});

beforeEach(async () => {
  fake = await startAwsFake();
  fake.codebuild.script = { phaseMs: 20, lines: ['compiling…'] };
  temp = mkdtempSync(join(root, 'tmp-'));
  env = { HOME: root, TMPDIR: temp, ...fake.env(s3.endpoint) };
});

afterEach(async () => {
  await fake.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  // Nothing left behind in the temp directory, whatever happened.
  expect(readdirSync(temp)).toEqual([]);
  const { Uploads = [] } = await s3.observer().send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  expect(Uploads).toEqual([]);
});

afterAll(async () => {
  await s3.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A loopback HTTP server answering every request with `handler` (never answering if it does nothing). */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const htmlPage = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/html', 'x-amz-request-id': 'REQ123' });
  res.end('<html><body>Proxy says no</body></html>');
};

function operations(): string[] {
  return fake.codebuild.calls.map((call) => call.operation);
}

function runningBuilds(): number {
  return [...fake.codebuild.builds.values()].filter((build) => build.buildStatus === 'IN_PROGRESS').length;
}

describe('signals', () => {
  test('SIGTERM mid-upload: upload aborted, temp archive removed, no build, exit 130', async () => {
    const run = startCli(['build', big], env);
    await run.waitForStderr('packed');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(130);
    expect(errorLine(run.stderr())).toBe('kiln: interrupted: upload aborted, no build was started');
    expect(run.stderr()).not.toMatch(/kiln uploaded/);
    expect(operations()).not.toContain('StartBuild');
  });

  test('Ctrl-C mid-upload never claims the upload finished', async () => {
    const run = startCli(['build', big], env);
    await run.waitForStderr('packed');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).not.toMatch(/uploaded \d/);
    expectNoInternals(run.stderr());
  });

  test('SIGTERM while packing: no partial archive, exit 130', async () => {
    const out = join(root, `partial-${Date.now()}.zip`);
    const run = startCli(['pack', big, '-o', out], env);
    await new Promise((resolve) => setTimeout(resolve, 600));
    run.child.kill('SIGTERM');
    const code = await run.exit;
    // A fast machine may finish first; then the archive is complete and stays.
    if (code === 0) rmSync(out);
    else {
      expect(code).toBe(130);
      expect(errorLine(run.stderr())).toBe('kiln: interrupted: no archive written');
      expect(() => readdirSync(out)).toThrow();
    }
  });

  test('SIGTERM while following sends StopBuild and waits for STOPPED (exit 13)', async () => {
    fake.codebuild.script = { phaseMs: 20, holdBuildMs: 20_000, lines: ['compiling…'] };
    const run = startCli(['build', small], env);
    await run.waitForStderr('compiling…');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(13);
    expect(operations()).toContain('StopBuild');
    expect(runningBuilds()).toBe(0);
  });

  test('a second SIGTERM detaches with the re-attach hint (exit 14)', async () => {
    fake.codebuild.script = { phaseMs: 20, holdBuildMs: 20_000, lines: ['compiling…'] };
    fake.codebuild.slowStop = true;
    const run = startCli(['build', small], env);
    await run.waitForStderr('compiling…');
    run.child.kill('SIGTERM');
    await run.waitForStderr('Ctrl-C again to detach');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(14);
    expect(run.stderr()).toMatch(/Re-attach with: kiln logs kiln:\S+ --follow/);
    // Detached on purpose: the build was asked to stop, and the user was told how to get back to it.
    expect(operations()).toContain('StopBuild');
  });

  test.each([
    ['stops on SIGTERM', ''],
    ['ignores SIGTERM', "trap '' TERM"],
  ])(
    'SIGTERM during --local while docker %s: the docker child is gone, no temp folder left, exit 130',
    async (_how, trap) => {
      // A docker CLI on PATH that records its pid and blocks: the first docker call of the build.
      const bin = mkdtempSync(join(root, 'bin-'));
      const pidFile = join(bin, 'docker.pid');
      writeFileSync(join(bin, 'docker'), `#!/bin/bash\n${trap}\necho $$ > '${pidFile}'\nsleep 300 & wait\n`, {
        mode: 0o755,
      });
      const run = startCli(['build', small, '--local'], { ...env, PATH: `${bin}:${process.env.PATH}` });
      await waitFor(() => existsSync(pidFile));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const sent = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(130);
      // SIGTERM first; what ignores it is killed after the 5 s grace period.
      expect(Date.now() - sent).toBeLessThan(trap ? 9_000 : 3_000);
      expect(errorLine(run.stderr())).toBe('kiln: interrupted: local build stopped');
      expect(isRunning(pid)).toBe(false);
      expectNoInternals(run.stderr());
    },
  );

  test.each([
    ['pack', (dir: string) => ['pack', dir, '-o', join(dir, 'out.zip')]],
    ['build', (dir: string) => ['build', dir]],
    ['dockerfile', (dir: string) => ['dockerfile', dir]],
  ])('Ctrl-C stops a kiln.config.ts that loops forever (%s)', async (_command, args) => {
    const dir = mkdtempSync(join(root, 'loop-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"loop","scripts":{"start":"node i.js"}}');
    writeFileSync(join(dir, 'kiln.config.ts'), 'while (true) {}\nexport default {};\n');
    const run = startCli(args(dir), env);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = Date.now();
    run.child.kill('SIGINT');
    const code = await run.exit;
    expect(Date.now() - sent).toBeLessThan(5000);
    // pack and build handle the signal (exit 130); dockerfile has nothing to clean up and ends by it.
    expect([130, null]).toContain(code);
    expect(readdirSync(dir).sort()).toEqual(['kiln.config.ts', 'package.json']);
  });
});

describe('hanging and failing endpoints', () => {
  test('an STS endpoint that never answers times out with a clear error', async () => {
    const silent = await serve(() => {});
    const run = startCli(['status'], {
      ...env,
      AWS_ENDPOINT_URL_STS: silent,
      KILN_HTTP_TIMEOUT_SECONDS: '1',
    });
    const code = await run.exit;
    expect(code).toBe(1);
    expect(errorLine(run.stderr())).toMatch(/^kiln: cannot reach AWS in us-east-1: no answer in time/);
    expectNoInternals(run.stderr());
  });

  test('Ctrl-C while STS never answers stops kiln build at once (exit 130)', async () => {
    // Interrupted once kiln waits on STS (after the pre-flight, whose duration depends on the machine's load).
    let asked: () => void = () => {};
    const stsAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const silent = await serve(() => asked());
    const run = startCli(['build', small], { ...env, AWS_ENDPOINT_URL_STS: silent });
    await stsAsked;
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(errorLine(run.stderr())).toBe('kiln: interrupted: upload aborted, no build was started');
  });

  test.each([
    ['STS', 'AWS_ENDPOINT_URL_STS', 502],
    ['STS', 'AWS_ENDPOINT_URL_STS', 200],
    ['S3', 'AWS_ENDPOINT_URL_S3', 503],
    ['CodeBuild', 'AWS_ENDPOINT_URL_CODEBUILD', 500],
  ])('%s behind a proxy answering HTTP %s with an HTML page', async (_service, variable, status) => {
    const proxy = await serve(htmlPage(status));
    const run = startCli(['build', small], { ...env, [variable]: proxy });
    const code = await run.exit;
    expect(code).toBe(1);
    expect(errorLine(run.stderr())).toMatch(
      /^kiln: (AWS answered|AWS STS answered|cannot reach AWS|AWS rejected|access denied)/,
    );
    expectNoInternals(run.stderr());
    expect(runningBuilds()).toBe(0);
  });

  test('--verbose shows the HTTP status, content type and request id of an unreadable answer', async () => {
    const proxy = await serve(htmlPage(503));
    const run = startCli(['build', small, '--verbose'], { ...env, AWS_ENDPOINT_URL_S3: proxy });
    expect(await run.exit).toBe(1);
    expect(errorLine(run.stderr())).toMatch(
      /^kiln: AWS answered HTTP 503 with text\/html, not an AWS response/,
    );
    expect(run.stderr()).toMatch(/details: .*HTTP status 503, content type text\/html, request id REQ123/);
  });

  test('without --verbose the hint names the flag (build has it)', async () => {
    const proxy = await serve(htmlPage(503));
    const run = startCli(['build', small], { ...env, AWS_ENDPOINT_URL_S3: proxy });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('Run again with --verbose for details.');
    expect(run.stderr()).not.toContain('details:');
  });

  test('an upload part that keeps failing: no "uploaded" line, no multipart upload left', async () => {
    const target = new URL(s3.endpoint);
    const flaky = await serve((req, res) => {
      if (/partNumber=2\b/.test(req.url ?? '')) {
        req.resume();
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<Error><Code>InternalError</Code><Message>boom</Message></Error>');
        return;
      }
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    const run = startCli(['build', big], { ...env, AWS_ENDPOINT_URL_S3: flaky });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).not.toMatch(/kiln uploaded/);
    expectNoInternals(run.stderr());
    expect(operations()).not.toContain('StartBuild');
  });
});

describe('the upload trusts only kiln’s own objects', () => {
  async function archiveKey(): Promise<string> {
    const run = startCli(['build', small, '--async'], env);
    expect(await run.exit).toBe(0);
    const { Contents = [] } = await s3.observer().send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return Contents.map((object) => object.Key!).find((key) => key.startsWith('sources/'))!;
  }

  test('an object of the right size without kiln’s sha256 metadata is uploaded over', async () => {
    const key = await archiveKey();
    const client = s3.observer();
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(head.ContentLength!, 0) }),
    );
    // --force: past the unchanged-image lookup, to the upload.
    const run = startCli(['build', small, '--async', '--force'], env);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).not.toContain('upload skipped');
    const after = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(after.Metadata?.sha256).toBe(key.slice('sources/'.length, -'.zip'.length));
  });

  test('kiln’s own object with matching metadata is reused', async () => {
    await archiveKey();
    const run = startCli(['build', small, '--async', '--force'], env);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('source unchanged, upload skipped');
  });
});

describe('closed output streams', () => {
  test('kiln builds --json with stdout closed: no stack trace', async () => {
    await startCli(['build', small, '--async'], env).exit;
    const run = startCli(['builds', '--json', '--dir', small], env);
    run.child.stdout!.destroy();
    const code = await run.exit;
    expect([0, 130]).toContain(code);
    expectNoInternals(run.stderr());
  });

  test('stderr closed while following (2>&1 | head -1): the build is stopped, not orphaned', async () => {
    fake.codebuild.script = { phaseMs: 20, holdBuildMs: 20_000, lines: ['compiling…'] };
    const run = startCli(['build', small], env);
    await run.waitForStderr('compiling…');
    run.child.stderr!.destroy();
    run.child.stdout!.destroy();
    await run.exit;
    expect(operations()).toContain('StopBuild');
    expect(runningBuilds()).toBe(0);
  });

  test('stdout closed while packing: no partial archive left', async () => {
    const run = startCli(['pack', small], env);
    run.child.stdout!.destroy();
    await run.exit;
    expectNoInternals(run.stderr());
  });
});

describe('untrusted remote output', () => {
  const hostile = 'evil \u001b]0;owned\u0007 \u001b[2J \u009b31m';

  test('build log lines with escape sequences are shown, not obeyed', async () => {
    fake.codebuild.script = { phaseMs: 20, lines: [hostile] };
    const run = startCli(['build', small], env);
    await run.exit;
    expect(run.stderr()).toContain('evil \\x1b]0;owned\\x07 \\x1b[2J \\x9b31m');
    for (const control of ['\u001b', '\u0007', '\u009b']) expect(run.stderr()).not.toContain(control);
  });

  test('kiln logs neutralises them too', async () => {
    fake.codebuild.script = { phaseMs: 20, lines: [hostile] };
    await startCli(['build', small], env).exit;
    const run = startCli(['logs', '--dir', small], env);
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain('\\x1b]0;owned\\x07');
    for (const control of ['\u001b', '\u0007', '\u009b']) expect(run.stdout()).not.toContain(control);
  });
});
