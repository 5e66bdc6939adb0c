// Where the build's AWS credentials (dockerfile.buildArgs.enableAwsCreds) appear in the generated
// Dockerfile. They rotate on every CodeBuild build, and a changed build-arg value misses the cache of
// every later RUN, so they must reach no step before the dependency install is done:
// - BuildKit: a secret (an AWS shared-credentials file) mounted into each RUN of the credentialed
//   stages; secret values are not part of cache keys and never land in a layer or the history;
// - classic builder: ARGs declared at the top of the build stage, after the dependency install
//   (the deps stage). `awsCredsForInstall` moves them before the install, at the cost of a cache miss
//   of the install on every build whose credentials differ.

import { arg, comment, env, type Line, verbatim } from './model';
import { parseDockerfile } from './parse';

/** How the credentials reach the build: a BuildKit secret or classic build args. */
export type CredentialDelivery = 'secret' | 'build-args';

/** The classic builder's credential args; the values come from the docker process environment. */
export const AWS_CREDENTIAL_ARGS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
] as const;

/** Not secret and stable between builds: build args with either builder. */
export const AWS_REGION_ARGS = ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/** The BuildKit secret id (`docker build --secret id=aws,src=<file>`) and where RUN steps see it. */
export const AWS_SECRET_ID = 'aws';
export const AWS_SECRET_TARGET = '/run/secrets/aws-credentials';
const SECRET_MOUNT = `type=secret,id=${AWS_SECRET_ID},target=${AWS_SECRET_TARGET}`;

/** Lines at the top of a credentialed stage. */
export function credentialDeclarations(delivery: CredentialDelivery): Line[] {
  if (delivery === 'build-args') {
    return [
      comment('AWS credentials (build args): every RUN from here on reruns when they change'),
      ...AWS_CREDENTIAL_ARGS.map((name) => arg(name, null)),
    ];
  }
  return [
    comment(`AWS credentials: a BuildKit secret mounted into each RUN below (${AWS_SECRET_TARGET})`),
    ...AWS_REGION_ARGS.map((name) => arg(name, null)),
    env({ AWS_SHARED_CREDENTIALS_FILE: AWS_SECRET_TARGET }),
  ];
}

/** BuildKit: every RUN of the lines (hook text included) mounts the credentials file. */
export function mountCredentials(lines: Line[]): Line[] {
  return mountIntoRuns(lines, [SECRET_MOUNT]);
}

/**
 * The user's secrets (`--secret`, dockerfile.secrets) in the deps and build stages, never the
 * deployment stage. BuildKit: each RUN mounts each secret at /run/secrets/NAME, and kiln's own RUN
 * steps (the install, the app build) also see it as $NAME, read from that file inside the step, so
 * an `.npmrc` with `${NPM_TOKEN}` works; nothing reaches a layer, the history or a cache key. Classic
 * builder: ARGs, whose values the stage's history holds (the runner then pushes no cache images of
 * these stages; the deployment stage, the image, declares none).
 */
export function withUserSecrets(
  lines: Line[],
  names: readonly string[],
  delivery: CredentialDelivery,
): Line[] {
  if (names.length === 0) return lines;
  if (delivery === 'build-args') {
    return [
      comment('Secrets (build args, classic builder): only the build stages, never the image'),
      ...names.map((name) => arg(name, null)),
      ...lines,
    ];
  }
  const exported = names.map((name) => `export ${name}="$(cat /run/secrets/${name})"`);
  const mounted = mountIntoRuns(
    lines,
    names.map((name) => `type=secret,id=${name}`),
  );
  return [
    comment(
      `Secrets (BuildKit): /run/secrets/<name> in each RUN below, never in a layer: ${names.join(', ')}`,
    ),
    ...mounted.map((line) =>
      line.kind === 'run' ? { ...line, commands: [...exported, ...line.commands] } : line,
    ),
  ];
}

/** Each RUN of the lines (hook text included) gets the `--mount` flags. */
function mountIntoRuns(lines: Line[], mounts: string[]): Line[] {
  const flags = mounts.map((mount) => `--mount=${mount}`).join(' ');
  return lines.map((line) => {
    if (line.kind === 'run') return { ...line, mounts: [...(line.mounts ?? []), ...mounts] };
    if (line.kind === 'instruction' && line.keyword === 'RUN') {
      const [first = '', ...rest] = line.args;
      return { ...line, args: [`${flags} ${first}`, ...rest] };
    }
    if (line.kind !== 'verbatim') return line;
    const runLines = new Set(
      parseDockerfile(line.text)
        .instructions.filter((instruction) => instruction.keyword === 'RUN')
        .map((instruction) => instruction.line),
    );
    const text = line.text
      .split('\n')
      .map((source, index) =>
        runLines.has(index + 1) ? source.replace(/^(\s*RUN)(\s+)/i, `$1 ${flags}$2`) : source,
      )
      .join('\n');
    return verbatim(text);
  });
}

/** One sentence for `--explain` and the build log: where the credentials are available. */
export function describeCredentials(delivery: CredentialDelivery | null, duringInstall: boolean): string {
  if (delivery === null) return 'AWS credentials: not passed to the build (enableAwsCreds is false)';
  const steps = duringInstall
    ? 'the dependency install, the app build and the build-stage hooks'
    : 'the app build and the after_build hook (not the dependency install)';
  return delivery === 'secret'
    ? `AWS credentials: BuildKit secret file ${AWS_SECRET_TARGET} (AWS_SHARED_CREDENTIALS_FILE) in the RUN steps of ${steps}; no layer or history holds them`
    : `AWS credentials: build args AWS_* (classic builder) in the RUN steps of ${steps}${duringInstall ? '; rotating credentials rerun the install on every build' : ''}`;
}
