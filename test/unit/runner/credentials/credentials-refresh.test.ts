import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AwsCredentials } from '../../../../runner/credentials/build-credentials';
import { refreshCredentialsFile } from '../../../../runner/credentials/credentials-refresh';
import { Masker } from '../../../../runner/log/masker';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-refresh-'));
  file = join(dir, 'aws');
  await writeFile(file, '[default]\naws_access_key_id = AKIAFIRST\n', { mode: 0o600 });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A role whose credentials rotate on every read, as CodeBuild's container endpoint does near expiry. */
function rotatingRole() {
  let reads = 0;
  const source = async (): Promise<AwsCredentials> => {
    reads += 1;
    return {
      accessKeyId: `AKIAROTATED${reads}`,
      secretAccessKey: `rotated-secret-${reads}-xxxxxxxx`,
      sessionToken: `rotated-token-${reads}-xxxxxxxx`,
    };
  };
  return { source, reads: () => reads };
}

test('renews the file with the current credentials, masked before they are written, until stopped', async () => {
  const role = rotatingRole();
  const masker = new Masker();
  const refresh = refreshCredentialsFile({
    file,
    source: role.source,
    region: 'us-east-1',
    everyMs: 20,
    masker,
    onFailure: () => {
      throw new Error('no failure expected');
    },
  });
  while (role.reads() < 3) await delay(10);
  await refresh.stop();
  const reads = role.reads();
  const text = await readFile(file, 'utf8');
  expect(text).toBe(
    `[default]\naws_access_key_id = AKIAROTATED${reads}\naws_secret_access_key = rotated-secret-${reads}-xxxxxxxx\naws_session_token = rotated-token-${reads}-xxxxxxxx\n`,
  );
  expect(masker.mask(`token rotated-token-${reads}-xxxxxxxx`)).toBe('token ****');
  // Stopped: no read and no write after stop() resolved.
  await delay(80);
  expect(role.reads()).toBe(reads);
  expect(await readFile(file, 'utf8')).toBe(text);
});

test('a failed renewal keeps the current file and is told once', async () => {
  const failures: unknown[] = [];
  const refresh = refreshCredentialsFile({
    file,
    source: async () => {
      throw new Error('endpoint unreachable');
    },
    region: undefined,
    everyMs: 10,
    masker: new Masker(),
    onFailure: (error) => failures.push(error),
  });
  await delay(80);
  await refresh.stop();
  expect(failures).toHaveLength(1);
  expect(String(failures[0])).toContain('endpoint unreachable');
  expect(await readFile(file, 'utf8')).toBe('[default]\naws_access_key_id = AKIAFIRST\n');
});
