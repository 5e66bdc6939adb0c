// `kiln build [dir]` and the commands that watch remote builds. Flags are parsed here; the work
// (and the AWS SDK) loads only when a command runs.
import { type Command, InvalidArgumentError } from 'commander';
import type { Architecture, KilnConfigInput } from '../../runner/config/schema';
import { EXIT_CODES, KilnError } from '../../runner/errors';
import { addRemoteOptions, type RemoteFlags } from '../aws/remote-options';
import { registerBuildsCommand } from './builds';
import { registerLogsCommand } from './logs';
import { registerStatusCommand } from './status';
import { registerStopCommand } from './stop';

export interface BuildFlags extends RemoteFlags {
  /** Checked against the schema's architectures when the command runs (the schema loads zod). */
  arch?: Architecture;
  compute?: string;
  timeout?: number;
  image?: string;
  dockerfile?: string | true;
  tag?: string;
  env: string[];
  async?: boolean;
  json?: boolean;
  local?: boolean;
  registry?: string;
  push: boolean;
}

/** Registers `build`, `logs`, `status`, `builds` and `stop`. */
export function registerBuildCommands(program: Command): void {
  const build = program
    .command('build')
    .description(
      'Build the project’s image remotely on AWS CodeBuild (or locally with --local) and follow it',
    )
    .argument('[dir]', 'project directory', '.')
    .option('--arch <arch>', 'CPU architecture of the image: x86_64 or arm64')
    .option('--compute <type>', 'CodeBuild compute type, e.g. BUILD_GENERAL1_LARGE')
    .option('--timeout <minutes>', 'build timeout in minutes (5-2160)', parseTimeout)
    .option('--image <image>', 'retag and push this prebuilt image instead of building')
    .option('--dockerfile [path]', 'use the project’s own Dockerfile (default ./Dockerfile)')
    .option('--tag <format>', 'image tag format, e.g. ":FRIENDLY_TAG-:GIT_SHA"')
    .option(
      '--env <KEY=VALUE>',
      'build arg for the image build (repeatable; values are never packed or printed)',
      collect,
      [],
    )
    .option('--async', 'start the build, print its id and return without following it')
    .option('--json', 'print one JSON document on stdout at the end (human output stays on stderr)')
    .option('--local', 'build with the local docker daemon instead of CodeBuild')
    .option('--registry <host[:port]/repo>', 'with --local: push the image to this registry')
    .option('--no-push', 'with --local: build and tag only');
  addRemoteOptions(build).action(async (dir: string, flags: BuildFlags) => {
    const { runBuildCommand } = require('../aws/build-command') as typeof import('../aws/build-command');
    process.exitCode = await runBuildCommand(dir, flags);
  });
  registerLogsCommand(program);
  registerStatusCommand(program);
  registerBuildsCommand(program);
  registerStopCommand(program);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseTimeout(value: string): number {
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 2160) {
    throw new InvalidArgumentError('expected whole minutes between 5 and 2160.');
  }
  return minutes;
}

const BUILD_ARG = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** CodeBuild and kiln's own variables: a build arg with these prefixes would break the build. */
const RESERVED_PREFIXES = ['CODEBUILD_', 'KILN_', 'AWS_', 'LD_', 'DOCKER_', 'BUILDKIT_'];
/**
 * Build args travel as environment variables of the build machine, so these names would change how
 * the runner itself works (which programs run, which libraries load, where docker is).
 */
const RESERVED_NAMES = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'USER',
  'PWD',
  'TMPDIR',
  'IFS',
  'ENV',
  'BASH_ENV',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
]);

/** `--env KEY=VALUE` flags → build args (the last value of a repeated name wins). */
export function parseBuildArgs(values: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const value of values) {
    const match = BUILD_ARG.exec(value);
    if (!match) {
      // Only the leading name-like part is shown: after a typo (`NAME:value`, `NAME value`) the rest
      // is probably the secret itself.
      const shown = /^[A-Za-z0-9_]*/.exec(value)![0];
      throw new KilnError(
        `--env ${shown || '(empty name)'}…: expected KEY=VALUE with a name of letters, digits and _ (the rest is not shown: it may be a secret)`,
        'Write it as --env NAME=value, e.g. --env NPM_TOKEN=abc123.',
        EXIT_CODES.usage,
      );
    }
    const [, name, argValue] = match as unknown as [string, string, string];
    const reserved = RESERVED_PREFIXES.find((prefix) => name.startsWith(prefix));
    if (reserved) {
      throw new KilnError(
        `--env ${name}: names starting with ${reserved} are reserved for CodeBuild, AWS, docker and kiln`,
        'Rename the build arg (and the matching ARG in your Dockerfile).',
        EXIT_CODES.usage,
      );
    }
    if (RESERVED_NAMES.has(name.toUpperCase())) {
      throw new KilnError(
        `--env ${name}: this name would override the build machine's own ${name} and change how the build itself runs`,
        'Rename the build arg (and the matching ARG in your Dockerfile); set the variable inside the Dockerfile with ENV if the image needs it.',
        EXIT_CODES.usage,
      );
    }
    args[name] = argValue;
  }
  return args;
}

/** The flags that change the build description (they travel in the archive's build.json). */
export function configOverrides(flags: BuildFlags): KilnConfigInput {
  const remote = {
    ...(flags.arch ? { arch: flags.arch } : {}),
    ...(flags.compute ? { compute: flags.compute } : {}),
    ...(flags.timeout ? { timeoutMinutes: flags.timeout } : {}),
  };
  const docker = { ...(flags.image ? { image: flags.image } : {}), ...(flags.tag ? { tag: flags.tag } : {}) };
  return {
    ...(Object.keys(remote).length ? { remote } : {}),
    ...(Object.keys(docker).length ? { docker } : {}),
    ...(flags.dockerfile !== undefined ? { dockerfile: { custom: flags.dockerfile } } : {}),
  };
}

/** Flag values and combinations that cannot work, refused before anything runs. */
export function checkFlags(flags: BuildFlags, architectures: readonly string[]): void {
  if (flags.arch !== undefined && !architectures.includes(flags.arch)) {
    throw new KilnError(
      `--arch ${flags.arch}: expected one of ${architectures.join(', ')}`,
      undefined,
      EXIT_CODES.usage,
    );
  }
  const localOnly = [flags.registry !== undefined && '--registry', !flags.push && '--no-push'].filter(
    Boolean,
  );
  if (!flags.local && localOnly.length) {
    const verb = localOnly.length > 1 ? 'apply' : 'applies';
    throw new KilnError(`${localOnly.join(' and ')} only ${verb} with --local`, undefined, EXIT_CODES.usage);
  }
  if (flags.local && flags.async) {
    throw new KilnError(
      '--async does not apply with --local (a local build runs in this process)',
      undefined,
      EXIT_CODES.usage,
    );
  }
}
