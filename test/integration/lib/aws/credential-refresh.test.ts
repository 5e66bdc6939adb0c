// Builds run longer than the laptop's temporary credentials last. kiln's clients share one SDK
// credential chain, which refreshes credentials that are about to expire (5 minutes ahead): a
// `credential_process` profile that hands out short-lived keys is asked again, and the next request
// is signed with the new key, instead of failing with ExpiredToken an hour into following a build.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createAwsClients } from '../../../../lib/aws/clients';

let dir: string;
let server: Server;
const keyIds: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-creds-'));
  server = createServer((request, response) => {
    keyIds.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '');
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ events: [], nextForwardToken: 'f/1', nextBackwardToken: 'b/1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  process.env = { ...saved };
  keyIds.length = 0;
});

/** A profile whose credential_process hands out a new key each time, valid for `minutes`. */
async function rotatingProfile(minutes: number): Promise<string> {
  const counter = join(dir, `count-${minutes}`);
  const script = join(dir, `creds-${minutes}.js`);
  await writeFile(
    script,
    `const fs = require('fs');
const n = (fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0) + 1;
fs.writeFileSync(${JSON.stringify(counter)}, String(n));
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAROTATING' + n, SecretAccessKey: 'secret' + n,
  SessionToken: 'token' + n, Expiration: new Date(Date.now() + ${minutes} * 60000).toISOString() }));
`,
  );
  const config = join(dir, `config-${minutes}`);
  await writeFile(config, `[profile rotating]\ncredential_process = ${process.execPath} ${script}\n`);
  return config;
}

/** Three GetLogEvents, the last a second after the others (a background refresh has time to finish). */
async function threeRequests(minutes: number): Promise<string[]> {
  const config = await rotatingProfile(minutes);
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const { logs } = await createAwsClients({ profile: 'rotating', region: 'us-east-1', env: process.env });
  const read = new GetLogEventsCommand({
    logGroupName: '/kiln/builds',
    logStreamName: 's',
    startFromHead: true,
  });
  await logs.send(read);
  await logs.send(read);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await logs.send(read);
  return keyIds;
}

test('credentials that expire within 5 minutes are refreshed in the background; later requests use the new key', async () => {
  // The SDK keeps using the still-valid key while it fetches the next one (no request waits for it).
  expect(await threeRequests(2)).toEqual(['AKIAROTATING1', 'AKIAROTATING1', 'AKIAROTATING2']);
});

test('credentials valid for an hour are fetched once', async () => {
  expect(await threeRequests(60)).toEqual(['AKIAROTATING1', 'AKIAROTATING1', 'AKIAROTATING1']);
});
