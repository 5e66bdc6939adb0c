// `kiln build` flags: their values, how they are parsed, and the combinations refused before anything runs.
import { InvalidArgumentError } from 'commander';
import type { Architecture, KilnConfigInput } from '../../../contract/config-schema';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import type { RemoteFlags } from '../remote-options';

export interface BuildFlags extends RemoteFlags {
  /**
   * One architecture or a comma-separated list (`x86_64,arm64`); checked against the schema's
   * architectures when the command runs (the schema loads zod).
   */
  arch?: string;
  compute?: string;
  timeout?: number;
  image?: string;
  dockerfile?: string | true;
  tag?: string;
  env: string[];
  /** `--secret NAME`: names only; each value comes from this process's environment. */
  secret?: string[];
  async?: boolean;
  force?: boolean;
  json?: boolean;
  local?: boolean;
  registry?: string;
  push: boolean;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseTimeout(value: string): number {
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
    checkVariableName('--env', name);
    args[name] = argValue;
  }
  return args;
}

/** `--arch x86_64,arm64` → both; a single value stays a string (the single-architecture build). */
function archList(value: string): Architecture | Architecture[] {
  const list = value.split(',').map((arch) => arch.trim()) as Architecture[];
  return list.length === 1 ? list[0]! : list;
}

/** Build args and secrets are variables of the build machine: names that would change it are refused. */
function checkVariableName(flag: '--env' | '--secret', name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new KilnError(
      `${flag} ${name}: a name uses letters, digits and _ and does not start with a digit`,
      flag === '--secret'
        ? 'Pass the name of an environment variable, e.g. --secret NPM_TOKEN.'
        : 'Write it as --env NAME=value.',
      EXIT_CODES.usage,
    );
  }
  const reserved = RESERVED_PREFIXES.find((prefix) => name.startsWith(prefix));
  if (reserved) {
    throw new KilnError(
      `${flag} ${name}: names starting with ${reserved} are reserved for CodeBuild, AWS, docker and kiln`,
      'Rename it (and the matching ARG or secret id in your Dockerfile).',
      EXIT_CODES.usage,
    );
  }
  if (RESERVED_NAMES.has(name.toUpperCase())) {
    throw new KilnError(
      `${flag} ${name}: this name would override the build machine's own ${name} and change how the build itself runs`,
      'Rename it (and the matching ARG or secret id in your Dockerfile); set the variable inside the Dockerfile with ENV if the image needs it.',
      EXIT_CODES.usage,
    );
  }
}

/**
 * The build's secrets: the names from config `dockerfile.secrets` and `--secret`, each value read from
 * the caller's environment (never argv). A name also given as `--env`, reserved, or unset is refused.
 */
export function readSecrets(
  names: readonly string[],
  buildArgs: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of names) {
    checkVariableName('--secret', name);
    if (name in buildArgs) {
      throw new KilnError(
        `${name} is both a build arg (--env) and a secret (--secret or dockerfile.secrets)`,
        'Pass a secret only as --secret NAME, with its value in the environment.',
        EXIT_CODES.usage,
      );
    }
    const value = env[name];
    if (value === undefined || value === '') {
      throw new KilnError(
        `secret ${name} has no value: --secret takes the value from the environment variable of that name`,
        `Export it first (e.g. read -rs ${name} && export ${name}), then run kiln build again; the value never goes on the command line.`,
        EXIT_CODES.usage,
      );
    }
    secrets[name] = value;
  }
  return secrets;
}

/** The flags that change the build description (they travel in the archive's build.json). */
export function configOverrides(flags: BuildFlags): KilnConfigInput {
  const remote = {
    ...(flags.arch ? { arch: archList(flags.arch) } : {}),
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
  if (
    flags.arch !== undefined &&
    !flags.arch.split(',').every((arch) => architectures.includes(arch.trim()))
  ) {
    throw new KilnError(
      `--arch ${flags.arch}: expected one of ${architectures.join(', ')}, or several separated by commas`,
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
