// `kiln build --local` hands the project to the local build with the flags it understands.
import { join } from 'node:path';
import { kilnConfigSchema } from '../../../../../contract/config-schema';
import type { BuildFlags } from '../../../../../lib/commands/build/flags';
import { runBuildCommand } from '../../../../../lib/commands/build/run';
import { runLocalBuild } from '../../../../../lib/local/run-local-build';

jest.mock('../../../../../lib/local/run-local-build', () => ({ runLocalBuild: jest.fn() }));
jest.mock('../../../../../lib/pack/describe-project', () => ({
  describeProject: jest.fn(async (_dir: string, overrides: { remote?: object }) => ({
    kilnVersion: '0.1.0',
    name: 'demo',
    config: kilnConfigSchema.parse(overrides),
    git: null,
  })),
}));

// A real app: the pre-flight detects it before the local build runs.
const PROJECT = join(__dirname, '..', '..', '..', '..', 'fixtures', 'node-express');
const localBuild = runLocalBuild as jest.MockedFunction<typeof runLocalBuild>;

test('--local passes the description, registry, push, build args and json mode, and prints the result', async () => {
  localBuild.mockResolvedValue({ imageUri: 'localhost:5000/demo:v1', digest: 'sha256:9', tags: ['v1'] });
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const flags: BuildFlags = {
    env: ['NPM_TOKEN=abc'],
    push: false,
    local: true,
    registry: 'localhost:5000/demo',
    json: true,
    arch: 'arm64',
  };
  let printed: string;
  try {
    expect(await runBuildCommand(PROJECT, flags)).toBe(0);
    printed = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  expect(localBuild).toHaveBeenCalledWith({
    projectDir: PROJECT,
    description: expect.objectContaining({
      name: 'demo',
      config: expect.objectContaining({ remote: expect.objectContaining({ arch: 'arm64' }) }),
    }),
    registry: 'localhost:5000/demo',
    push: false,
    buildArgs: { NPM_TOKEN: 'abc' },
    secrets: {},
    json: true,
    signal: expect.any(AbortSignal),
  });
  expect(JSON.parse(printed)).toMatchObject({
    status: 'SUCCEEDED',
    imageUri: 'localhost:5000/demo:v1',
    digest: 'sha256:9',
    tags: ['v1'],
  });
});
