import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import {
  BatchGetImageCommand,
  ECRClient,
  ImageAlreadyExistsException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteParametersCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { kilnConfigSchema } from '../../../../../contract/config-schema';
import type { BuildDescription } from '../../../../../contract/description';
import { KilnError } from '../../../../../contract/errors';
import type { RemoteSession } from '../../../../../lib/aws/session';
import {
  type ArchiveInfo,
  type RemoteBuildOptions,
  runRemoteBuild,
} from '../../../../../lib/commands/build/remote-build';
import { BuildReporter } from '../../../../../lib/output/build-reporter';
import { createLogger } from '../../../../../lib/output/logger';
import { createTerminal } from '../../../../../lib/output/terminal';
import { BUILD_ID, snapshot } from '../../../../helpers/build-snapshots';
import { FakeAwsError } from '../../../../helpers/fakes/fake-aws-error';
import { FakeClock } from '../../../../helpers/fakes/fake-clock';
import { FakeLogStore } from '../../../../helpers/fakes/log-store';
import { mockAwsClient } from '../../../../helpers/iam/mocked-clients';
import { expectDenied } from '../../../../helpers/iam/recorded-calls';

const codebuildMock = mockAwsClient(CodeBuildClient, 'cli');
const logsMock = mockAwsClient(CloudWatchLogsClient, 'cli');
const ecrMock = mockAwsClient(ECRClient, 'cli');
const ssmMock = mockAwsClient(SSMClient, 'cli');

const session: RemoteSession = {
  clients: {
    region: 'us-east-1',
    s3: new S3Client({ region: 'us-east-1' }),
    codebuild: new CodeBuildClient({ region: 'us-east-1' }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
    sts: new STSClient({ region: 'us-east-1' }),
    ecr: new ECRClient({ region: 'us-east-1' }),
    ssm: new SSMClient({ region: 'us-east-1' }),
  },
  infra: {
    account: '123456789012',
    region: 'us-east-1',
    bucket: 'kiln-source-123456789012-us-east-1',
    project: 'kiln',
    architecture: 'x86_64',
    repository: 'kiln',
    logGroup: '/kiln/builds',
  },
};

const archive: ArchiveInfo = { sha256: 'ab'.repeat(32), size: 2048, files: ['a', 'b'] };

let output: string;
let clock: FakeClock;
let interrupt: () => void;
let store: FakeLogStore;

function description(remote: Record<string, unknown> = {}): BuildDescription {
  return { kilnVersion: '0.1.0', name: 'demo', config: kilnConfigSchema.parse({ remote }), git: null };
}

function options(extra: Partial<RemoteBuildOptions<ArchiveInfo>> = {}): RemoteBuildOptions<ArchiveInfo> {
  const stream = {
    write: (chunk: string) => {
      output += chunk;
      return true;
    },
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  return {
    projectDir: '/project',
    description: description(),
    buildArgs: { NPM_TOKEN: 'secret' },
    async: false,
    force: false,
    openSession: async () => session,
    steps: {
      pack: async () => archive,
      upload: async () => ({ key: `sources/${archive.sha256}.zip`, skipped: false }),
      discard: async () => {},
    },
    reporter: new BuildReporter(createTerminal(stream, {}, false)),
    interrupts: (handler) => {
      interrupt = handler;
      return () => {};
    },
    logger: createLogger({ verbose: false }),
    clock,
    ...extra,
  };
}

beforeEach(() => {
  codebuildMock.reset();
  logsMock.reset();
  ecrMock.reset();
  ssmMock.reset();
  ssmMock.on(PutParameterCommand).resolves({ Version: 1 });
  ssmMock.on(DeleteParametersCommand).resolves({});
  ecrMock.on(BatchGetImageCommand).resolves({
    images: [],
    failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
  });
  output = '';
  clock = new FakeClock();
  store = new FakeLogStore();
  logsMock.on(GetLogEventsCommand).callsFake((input) => store.getLogEvents(input));
  codebuildMock.on(StartBuildCommand).resolves({ build: snapshot({ current: 'SUBMITTED' }) });
});

/** The build runs until StopBuild, then ends STOPPED (or never, with `stops: false`). */
function buildUntilStopped({ stops = true } = {}) {
  let stopped = false;
  codebuildMock.on(StopBuildCommand).callsFake(() => {
    stopped = stops;
    return {};
  });
  codebuildMock.on(BatchGetBuildsCommand).callsFake(() => ({
    builds: [
      stopped
        ? snapshot({
            current: 'COMPLETED',
            status: 'STOPPED',
            failure: { phase: 'BUILD', status: 'STOPPED', message: 'Build stopped' },
          })
        : snapshot({ current: 'BUILD' }),
    ],
  }));
}

test('StartBuild gets the archive as S3 source, kiln’s variables and the overrides', async () => {
  codebuildMock
    .on(BatchGetBuildsCommand)
    .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
  // A stack deployed with kiln:repositoryName=team/app; the IAM check synthesizes the default stack
  // (repository kiln), so its grant on team/app is not in the policy the check reads.
  expectDenied(`arn:aws:ecr:us-east-1:123456789012:repository/team/app`);
  const result = await runRemoteBuild(
    options({
      description: description({ repository: 'team/app' }),
      openSession: async () => ({ ...session, infra: { ...session.infra, repository: 'team/app' } }),
      computeType: 'BUILD_GENERAL1_LARGE',
      timeoutMinutes: 45,
    }),
  );
  expect(result.exitCode).toBe(0);
  expect(codebuildMock.commandCalls(StartBuildCommand)[0]!.args[0].input).toEqual({
    projectName: 'kiln',
    sourceTypeOverride: 'S3',
    sourceLocationOverride: `kiln-source-123456789012-us-east-1/sources/${archive.sha256}.zip`,
    idempotencyToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
    environmentVariablesOverride: [
      { name: 'KILN_PROJECT_NAME', value: 'demo', type: 'PLAINTEXT' },
      { name: 'KILN_BUILD_ARG_NAMES', value: 'NPM_TOKEN', type: 'PLAINTEXT' },
      {
        name: 'KILN_REPOSITORY_URI',
        value: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app',
        type: 'PLAINTEXT',
      },
      {
        name: 'KILN_INPUT_TAG',
        value: expect.stringMatching(/^kiln-input-[0-9a-f]{40}$/),
        type: 'PLAINTEXT',
      },
      { name: 'NPM_TOKEN', value: 'secret', type: 'PLAINTEXT' },
    ],
    computeTypeOverride: 'BUILD_GENERAL1_LARGE',
    timeoutInMinutesOverride: 45,
  });
  expect(output).not.toContain('secret');
});

test('--compute on a type without CodeBuild local caching (2XLARGE) starts the build without the project cache', async () => {
  codebuildMock
    .on(BatchGetBuildsCommand)
    .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
  await runRemoteBuild(options({ computeType: 'BUILD_GENERAL1_2XLARGE' }));
  await runRemoteBuild(options({ computeType: 'BUILD_GENERAL1_XLARGE', force: true }));
  const [twoXLarge, xLarge] = codebuildMock.commandCalls(StartBuildCommand).map((call) => call.args[0].input);
  expect(twoXLarge).toMatchObject({
    computeTypeOverride: 'BUILD_GENERAL1_2XLARGE',
    cacheOverride: { type: 'NO_CACHE' },
  });
  expect(xLarge).toMatchObject({ computeTypeOverride: 'BUILD_GENERAL1_XLARGE' });
  expect(xLarge).not.toHaveProperty('cacheOverride');
});

test('--verbose asks the runner for stack traces (KILN_DEBUG=1); without it the runner stays terse', async () => {
  codebuildMock
    .on(BatchGetBuildsCommand)
    .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
  await runRemoteBuild(options({ debug: true }));
  await runRemoteBuild(options());
  const [verbose, plain] = codebuildMock
    .commandCalls(StartBuildCommand)
    .map((call) => call.args[0].input.environmentVariablesOverride);
  expect(verbose).toContainEqual({ name: 'KILN_DEBUG', value: '1', type: 'PLAINTEXT' });
  expect(plain).not.toContainEqual(expect.objectContaining({ name: 'KILN_DEBUG' }));
});

test('Ctrl-C during the upload aborts it and starts no build (exit 130); no secret is stored', async () => {
  const upload = ({ signal }: { signal: AbortSignal }) =>
    new Promise<{ key: string; skipped: boolean }>((_, reject) => {
      signal.addEventListener('abort', () => reject(new Error('Request aborted')));
      interrupt();
    });
  const run = runRemoteBuild(
    options({
      secrets: { NPM_TOKEN: 's3cr3t' },
      steps: { pack: async () => archive, upload, discard: async () => {} },
    }),
  );
  await expect(run).rejects.toThrow(new KilnError('interrupted: upload aborted, no build was started'));
  await expect(run).rejects.toMatchObject({ exitCode: 130 });
  expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(0);
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
});

test('the session and the pack run at the same time (neither waits for the other)', async () => {
  codebuildMock
    .on(BatchGetBuildsCommand)
    .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
  const started: string[] = [];
  let openSession!: () => void;
  const sessionOpened = new Promise<void>((resolve) => {
    openSession = resolve;
  });
  const run = runRemoteBuild(
    options({
      openSession: async () => {
        started.push('session');
        await sessionOpened;
        return session;
      },
      steps: {
        pack: async () => {
          started.push('pack');
          // The pack starts while the session is still open(ing): it would hang here otherwise.
          openSession();
          return archive;
        },
        upload: async () => ({ key: `sources/${archive.sha256}.zip`, skipped: false }),
        discard: async () => {},
      },
    }),
  );
  await expect(run).resolves.toMatchObject({ exitCode: 0 });
  expect(started).toEqual(['session', 'pack']);
});

test('a session that fails while the pack succeeded discards the archive and reports the session error', async () => {
  const discard = jest.fn(async () => {});
  const run = runRemoteBuild(
    options({
      openSession: async () => {
        throw new KilnError('no credentials');
      },
      steps: { pack: async () => archive, upload: jest.fn(), discard },
    }),
  );
  await expect(run).rejects.toThrow('no credentials');
  expect(discard).toHaveBeenCalledWith(archive);
  expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(0);
});

test('Ctrl-C while following stops the build, says so, waits for STOPPED and exits 13', async () => {
  buildUntilStopped();
  clock.onSleep = (time) => {
    if (time === 2000) interrupt();
  };
  const result = await runRemoteBuild(options());
  expect(codebuildMock.commandCalls(StopBuildCommand)[0]!.args[0].input).toEqual({ id: BUILD_ID });
  expect(output).toContain(`stopping build ${BUILD_ID} (Ctrl-C again to detach)`);
  expect(output.trimEnd().split('\n').at(-1)).toMatch(/^✖ STOPPED in .*: BUILD STOPPED \(Build stopped\)$/);
  expect(result.exitCode).toBe(13);
  expect(result.document.status).toBe('STOPPED');
});

test('a second Ctrl-C detaches and says how to re-attach (exit 14)', async () => {
  buildUntilStopped({ stops: false });
  clock.onSleep = (time) => {
    if (time === 2000 || time === 4000) interrupt();
  };
  const result = await runRemoteBuild(options());
  expect(result.exitCode).toBe(14);
  expect(result.document.status).toBe('IN_PROGRESS');
  expect(output).toContain(`Re-attach with: kiln logs ${BUILD_ID} --follow`);
});

test('a stop that fails says the build keeps running, and how to detach and stop it', async () => {
  buildUntilStopped({ stops: false });
  codebuildMock.on(StopBuildCommand).rejects(new FakeAwsError('ServiceUnavailableException', 'unreachable'));
  clock.onSleep = (time) => {
    if (time === 2000 || time === 6000) interrupt();
  };
  const result = await runRemoteBuild(options());
  expect(output).toContain(`could not stop build ${BUILD_ID}: `);
  expect(output).toContain(
    `It keeps running and is still followed; Ctrl-C again to detach, then: kiln stop ${BUILD_ID}`,
  );
  expect(result.exitCode).toBe(14);
});

test('Ctrl-C while StartBuild is in flight stops the build as soon as it exists', async () => {
  buildUntilStopped();
  codebuildMock.on(StartBuildCommand).callsFake(() => {
    interrupt();
    return { build: snapshot({ current: 'SUBMITTED' }) };
  });
  const result = await runRemoteBuild(options({ async: true }));
  expect(codebuildMock.commandCalls(StopBuildCommand)).toHaveLength(1);
  expect(result.exitCode).toBe(13);
});

test('following that fails for good tells the user the build may still run (exit 14)', async () => {
  // Lost contact is retried while following (test/unit/lib/follow); expired credentials are not.
  codebuildMock
    .on(BatchGetBuildsCommand)
    .resolvesOnce({ builds: [snapshot({ current: 'BUILD' })] })
    .rejects(
      new FakeAwsError('ExpiredTokenException', 'The security token included in the request is expired'),
    );
  const run = runRemoteBuild(options());
  await expect(run).rejects.toMatchObject({
    message: `lost track of build ${BUILD_ID}: the AWS credentials have expired`,
    hint: `It may still be running. Re-attach with: kiln logs ${BUILD_ID} --follow`,
    exitCode: 14,
  });
});

test('a project missing at StartBuild is the deploy-infra message', async () => {
  codebuildMock
    .on(StartBuildCommand)
    .rejects(new FakeAwsError('ResourceNotFoundException', 'Project cannot be found'));
  await expect(runRemoteBuild(options())).rejects.toThrow(
    'kiln infrastructure not found in account 123456789012, region us-east-1',
  );
});

test('--async returns once the build is started, with its id', async () => {
  const result = await runRemoteBuild(options({ async: true }));
  expect(result.exitCode).toBe(0);
  expect(result.document).toMatchObject({ buildId: BUILD_ID, status: 'IN_PROGRESS' });
  expect(codebuildMock.commandCalls(BatchGetBuildsCommand)).toHaveLength(0);
  expect(output).toContain(`kiln logs ${BUILD_ID} --follow`);
});

test('the JSON document has the image, tags and every timing', async () => {
  const done: Build = snapshot({
    current: 'COMPLETED',
    status: 'SUCCEEDED',
    exported: { KILN_IMAGE_URI: 'repo:tag', KILN_IMAGE_DIGEST: 'sha256:1', KILN_IMAGE_TAGS: 'tag' },
  });
  codebuildMock.on(BatchGetBuildsCommand).resolves({ builds: [done] });
  const { document } = await runRemoteBuild(options());
  expect(document).toEqual({
    buildId: BUILD_ID,
    status: 'SUCCEEDED',
    imageUri: 'repo:tag',
    digest: 'sha256:1',
    tags: ['tag'],
    failedPhase: null,
    timings: { pack: 0, upload: 0, queued: 20, build: 80, total: expect.any(Number) },
    logsUrl: null,
    consoleUrl: `https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/kiln/build/${encodeURIComponent(BUILD_ID)}/?region=us-east-1`,
    skipped: false,
    skipReason: null,
  });
});

describe('an unchanged build (the input key already built)', () => {
  const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
  const DIGEST = `sha256:${'c'.repeat(64)}`;
  const succeeded = () =>
    codebuildMock
      .on(BatchGetBuildsCommand)
      .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });

  it('found in ECR: tags it as requested, starts no build, uploads nothing, says why', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageDigest: DIGEST, imageTag: 'kiln-input-x' },
          imageManifest: MANIFEST,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        },
      ],
    });
    ecrMock.on(PutImageCommand).resolves({});
    const upload = jest.fn();
    const discard = jest.fn(async () => {});
    const result = await runRemoteBuild(
      options({
        description: {
          ...description(),
          config: kilnConfigSchema.parse({ docker: { tag: ':FRIENDLY_TAG,latest' } }),
        },
        steps: { pack: async () => archive, upload, discard },
      }),
    );
    expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(0);
    expect(upload).not.toHaveBeenCalled();
    // The packed archive is not left in the temp folder when nothing is uploaded.
    expect(discard).toHaveBeenCalledWith(archive);
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(1);
    const lookup = ecrMock.commandCalls(BatchGetImageCommand)[0]!.args[0].input;
    expect(lookup.repositoryName).toBe('kiln');
    expect(lookup.imageIds).toEqual([{ imageTag: expect.stringMatching(/^kiln-input-[0-9a-f]{40}$/) }]);
    expect(ecrMock.commandCalls(PutImageCommand).map((call) => call.args[0].input)).toEqual(
      ['demo', 'latest'].map((imageTag) => ({
        repositoryName: 'kiln',
        imageManifest: MANIFEST,
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        imageTag,
      })),
    );
    expect(result.exitCode).toBe(0);
    expect(result.document).toMatchObject({
      status: 'SUCCEEDED',
      buildId: null,
      skipped: true,
      skipReason: expect.stringMatching(
        /^unchanged: kiln:kiln-input-[0-9a-f]{40} was built from the same input/,
      ),
      imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln:demo',
      digest: DIGEST,
      tags: ['demo', 'latest'],
    });
    expect(output).toContain('no build started; tagged demo, latest');
    expect(output).toContain(`image 123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln:demo (${DIGEST})`);
  });

  it('a tag already on the image is fine (PutImage: ImageAlreadyExistsException)', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST }],
    });
    ecrMock
      .on(PutImageCommand)
      .rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }));
    const result = await runRemoteBuild(options());
    expect(result.document.skipped).toBe(true);
  });

  it('not in ECR: builds as usual, skipped false', async () => {
    succeeded();
    const result = await runRemoteBuild(options());
    expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(result.document).toMatchObject({ skipped: false, skipReason: null });
  });

  it('ECR lookup denied: builds as usual, with a warning that says why', async () => {
    succeeded();
    ecrMock
      .on(BatchGetImageCommand)
      .rejects(new FakeAwsError('AccessDeniedException', 'not authorized to perform: ecr:BatchGetImage'));
    const result = await runRemoteBuild(options());
    expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(1);
    expect(result.exitCode).toBe(0);
    expect(output).toContain(
      'warning: could not look for an unchanged image (AccessDeniedException: not authorized to perform: ecr:BatchGetImage); building',
    );
  });

  it('--force: no lookup, a build', async () => {
    succeeded();
    await runRemoteBuild(options({ force: true }));
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(0);
    expect(codebuildMock.commandCalls(StartBuildCommand)).toHaveLength(1);
  });

  it('looks up the same key whatever the per-build options that do not change the image (--compute, --timeout, --async)', async () => {
    succeeded();
    const tagsLookedUp = async (extra: Partial<RemoteBuildOptions<ArchiveInfo>>) => {
      ecrMock.resetHistory();
      await runRemoteBuild(options(extra));
      return ecrMock.commandCalls(BatchGetImageCommand).map((call) => call.args[0].input.imageIds);
    };
    const plain = await tagsLookedUp({});
    expect(plain).toHaveLength(1);
    expect(await tagsLookedUp({ computeType: 'BUILD_GENERAL1_LARGE', timeoutMinutes: 90 })).toEqual(plain);
    expect(await tagsLookedUp({ async: true })).toEqual(plain);
    // A build arg is part of the image: it moves the key.
    expect(await tagsLookedUp({ buildArgs: { NPM_TOKEN: 'other' } })).not.toEqual(plain);
  });
});

describe('--secret', () => {
  const secrets = { NPM_TOKEN: 's3cr3t-npm', SENTRY_AUTH: 'line one\nline two' };

  function storedParameters() {
    return ssmMock
      .commandCalls(PutParameterCommand)
      .map((call) => call.args[0].input as PutParameterCommandInput);
  }

  test('each secret is an expiring SecureString under /kiln/secrets/<uuid>/, passed as PARAMETER_STORE, deleted when the build ends', async () => {
    codebuildMock
      .on(BatchGetBuildsCommand)
      .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
    const now = Date.now();
    const result = await runRemoteBuild(options({ secrets, timeoutMinutes: 30 }));
    expect(result.exitCode).toBe(0);

    const stored = storedParameters();
    expect(stored.map((input) => input.Name)).toEqual([
      expect.stringMatching(/^\/kiln\/secrets\/[0-9a-f-]{36}\/NPM_TOKEN$/),
      expect.stringMatching(/^\/kiln\/secrets\/[0-9a-f-]{36}\/SENTRY_AUTH$/),
    ]);
    expect(stored.map((input) => [input.Type, input.Tier, input.Value])).toEqual([
      ['SecureString', 'Advanced', 's3cr3t-npm'],
      ['SecureString', 'Advanced', 'line one\nline two'],
    ]);
    // Project timeouts unknown (no pre-upload check here): CodeBuild's longest queue timeout (8 h)
    // plus the build's --timeout, and 5 min of margin.
    const [policy] = JSON.parse(stored[0]!.Policies!) as {
      Type: string;
      Attributes: { Timestamp: string };
    }[];
    expect(policy!.Type).toBe('Expiration');
    const expiresInMinutes = (Date.parse(policy!.Attributes.Timestamp) - now) / 60_000;
    expect(expiresInMinutes).toBeGreaterThan(480 + 30);
    expect(expiresInMinutes).toBeLessThan(480 + 30 + 6);

    const variables =
      codebuildMock.commandCalls(StartBuildCommand)[0]!.args[0].input.environmentVariablesOverride!;
    const path = stored[0]!.Name!.replace(/NPM_TOKEN$/, '');
    expect(variables).toEqual(
      expect.arrayContaining([
        { name: 'KILN_SECRET_PARAMETERS', value: path, type: 'PLAINTEXT' },
        { name: 'NPM_TOKEN', value: `${path}NPM_TOKEN`, type: 'PARAMETER_STORE' },
        { name: 'SENTRY_AUTH', value: `${path}SENTRY_AUTH`, type: 'PARAMETER_STORE' },
      ]),
    );
    // No value in the StartBuild request, nor in what kiln printed or returned.
    const request = JSON.stringify(codebuildMock.commandCalls(StartBuildCommand)[0]!.args[0].input);
    for (const value of Object.values(secrets)) {
      expect(request).not.toContain(value);
      expect(output).not.toContain(value);
      expect(JSON.stringify(result.document)).not.toContain(value);
    }
    expect(ssmMock.commandCalls(DeleteParametersCommand).map((call) => call.args[0].input.Names)).toEqual([
      [`${path}NPM_TOKEN`, `${path}SENTRY_AUTH`],
    ]);
  });

  test("the expiration follows the project's own queue and build timeouts when the pre-upload check read them", async () => {
    codebuildMock
      .on(BatchGetBuildsCommand)
      .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
    const now = Date.now();
    const withTimeouts = { ...session, timeouts: { queuedMinutes: 60, buildMinutes: 20 } };
    await runRemoteBuild(options({ secrets, openSession: async () => withTimeouts }));
    const [policy] = JSON.parse(storedParameters()[0]!.Policies!) as { Attributes: { Timestamp: string } }[];
    const expiresInMinutes = (Date.parse(policy!.Attributes.Timestamp) - now) / 60_000;
    expect(expiresInMinutes).toBeGreaterThan(60 + 20);
    expect(expiresInMinutes).toBeLessThan(60 + 20 + 6);
  });

  test('a build that fails to start deletes the secrets it stored', async () => {
    codebuildMock
      .on(StartBuildCommand)
      .rejects(new FakeAwsError('InvalidInputException', 'bad compute type'));
    await expect(runRemoteBuild(options({ secrets }))).rejects.toThrow('bad compute type');
    expect(ssmMock.commandCalls(DeleteParametersCommand)).toHaveLength(1);
  });

  test('Ctrl-C while following stops the build and deletes the secrets', async () => {
    buildUntilStopped();
    clock.onSleep = (time) => {
      if (time === 2000) interrupt();
    };
    expect((await runRemoteBuild(options({ secrets }))).exitCode).toBe(13);
    expect(ssmMock.commandCalls(DeleteParametersCommand)).toHaveLength(1);
  });

  test('--async leaves them to the runner (it deletes them once CodeBuild has read them) and their expiration', async () => {
    const result = await runRemoteBuild(options({ secrets, async: true }));
    expect(result.exitCode).toBe(0);
    expect(storedParameters()).toHaveLength(2);
    expect(ssmMock.commandCalls(DeleteParametersCommand)).toHaveLength(0);
  });
});
