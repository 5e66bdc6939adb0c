import { Command } from 'commander';
import { ARCHITECTURES } from '../../../../../contract/config-schema';
import { KilnError } from '../../../../../contract/errors';
import {
  type BuildFlags,
  checkFlags,
  configOverrides,
  parseBuildArgs,
  readSecrets,
} from '../../../../../lib/commands/build/flags';
import { registerBuildCommand } from '../../../../../lib/commands/build/register';

const flags = (extra: Partial<BuildFlags> = {}): BuildFlags => ({ env: [], push: true, ...extra });

describe('--env KEY=VALUE', () => {
  test('parses names and values (values may contain = and newlines; the last repeat wins)', () => {
    expect(parseBuildArgs(['NPM_TOKEN=a=b', 'MULTI=x\ny', '_X=', 'NPM_TOKEN=final'])).toEqual({
      NPM_TOKEN: 'final',
      MULTI: 'x\ny',
      _X: '',
    });
  });

  test.each([
    ['NPM_TOKEN', '--env NPM_TOKEN…: expected KEY=VALUE'],
    ['=value', '--env (empty name)…: expected KEY=VALUE'],
    ['1ABC=x', '--env 1ABC…: expected KEY=VALUE'],
    ['MY-VAR=x', '--env MY…: expected KEY=VALUE'],
    ['NPM_TOKEN:s3cr3t', '--env NPM_TOKEN…: expected KEY=VALUE'],
    ['PATH=/tmp/evil', "--env PATH: this name would override the build machine's own PATH"],
    ['LD_PRELOAD=/tmp/x.so', '--env LD_PRELOAD: names starting with LD_ are reserved'],
    [
      'KILN_PUSH=false',
      '--env KILN_PUSH: names starting with KILN_ are reserved for CodeBuild, AWS, docker and kiln',
    ],
    [
      'CODEBUILD_X=1',
      '--env CODEBUILD_X: names starting with CODEBUILD_ are reserved for CodeBuild, AWS, docker and kiln',
    ],
    [
      'AWS_REGION=x',
      '--env AWS_REGION: names starting with AWS_ are reserved for CodeBuild, AWS, docker and kiln',
    ],
  ])('%s is refused: %s', (value, message) => {
    const error = (() => {
      try {
        parseBuildArgs([value]);
      } catch (caught) {
        return caught as KilnError;
      }
      throw new Error('expected a KilnError');
    })();
    expect(error).toBeInstanceOf(KilnError);
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.exitCode).toBe(2);
  });

  test('the error never echoes the value', () => {
    expect(() => parseBuildArgs(['1SECRET=hunter2'])).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

test('flags become config overrides that travel in the build description', () => {
  expect(
    configOverrides(
      flags({
        arch: 'arm64',
        compute: 'BUILD_GENERAL1_LARGE',
        timeout: 30,
        image: 'nginx:1',
        tag: ':GIT_SHA',
        dockerfile: true,
      }),
    ),
  ).toEqual({
    remote: { arch: 'arm64', compute: 'BUILD_GENERAL1_LARGE', timeoutMinutes: 30 },
    docker: { image: 'nginx:1', tag: ':GIT_SHA' },
    dockerfile: { custom: true },
  });
  expect(configOverrides(flags({ dockerfile: 'docker/Dockerfile.prod' }))).toEqual({
    dockerfile: { custom: 'docker/Dockerfile.prod' },
  });
  expect(configOverrides(flags())).toEqual({});
});

test.each([
  [{ registry: 'localhost:5000/app' }, '--registry only applies with --local'],
  [{ push: false }, '--no-push only applies with --local'],
  [{ registry: 'localhost:5000/app', push: false }, '--registry and --no-push only apply with --local'],
  [{ arch: 'sparc' as 'arm64' }, '--arch sparc: expected one of x86_64, arm64'],
  [{ local: true, async: true }, '--async does not apply with --local (a local build runs in this process)'],
])('impossible flag values and combinations are usage errors: %j', (extra, message) => {
  expect(() => checkFlags(flags(extra), ARCHITECTURES)).toThrow(message);
});

test('--local with --registry and --no-push is fine', () => {
  const local = flags({ local: true, registry: 'localhost:5000/app', push: false, arch: 'arm64' });
  expect(() => checkFlags(local, ARCHITECTURES)).not.toThrow();
});

test('kiln build --help says who can read --env values', () => {
  const program = new Command('kiln');
  registerBuildCommand(program);
  const help = program.commands.find((command) => command.name() === 'build')!.helpInformation();
  expect(help.replace(/\s+/g, ' ')).toContain(
    'Not secret: the value is a PLAINTEXT CodeBuild variable that anyone allowed codebuild:BatchGetBuilds on the project can read (kiln users, the console, read-only roles) while CodeBuild keeps the build, and it shows in this command line (ps)',
  );
});

describe('readSecrets (--secret NAME, dockerfile.secrets)', () => {
  it('reads each value from the environment', () => {
    expect(readSecrets(['NPM_TOKEN'], {}, { NPM_TOKEN: 'abc' })).toEqual({ NPM_TOKEN: 'abc' });
  });

  it.each([
    [['NPM_TOKEN'], {}, {}, 'secret NPM_TOKEN has no value'],
    [
      ['NPM_TOKEN'],
      { NPM_TOKEN: 'x' },
      { NPM_TOKEN: 'y' },
      'NPM_TOKEN is both a build arg (--env) and a secret',
    ],
    [['AWS_TOKEN'], {}, { AWS_TOKEN: 'y' }, '--secret AWS_TOKEN: names starting with AWS_ are reserved'],
    [['PATH'], {}, { PATH: '/bin' }, "--secret PATH: this name would override the build machine's own PATH"],
    [['NPM=TOKEN'], {}, {}, '--secret NPM=TOKEN: a name uses letters, digits and _'],
  ])('%j (build args %j) is a usage error', (names, buildArgs, env, message) => {
    expect(() => readSecrets(names, buildArgs, env)).toThrow(message);
    try {
      readSecrets(names, buildArgs, env);
    } catch (error) {
      expect((error as KilnError).exitCode).toBe(2);
    }
  });
});
