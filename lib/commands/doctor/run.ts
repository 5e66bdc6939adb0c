// `kiln doctor` at work: each check in the order a build needs them; a failed check prints its fix
// and the checks that depend on it are skipped. Exit 0 only when a build would start.
import { execFile } from 'node:child_process';
import { primaryArchitecture } from '../../../contract/architectures';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { type AwsClients, createAwsClients } from '../../aws/clients';
import { ENVIRONMENT_TYPES, findBuildProject } from '../../aws/codebuild';
import { dryRunBuildCalls } from '../../aws/dry-run';
import { infrastructureNotFound, toKilnError } from '../../aws/errors';
import { assertBucketExists, callerAccount, infrastructureNames } from '../../aws/infrastructure';
import { loadConfig } from '../../config/load';
import { describeError } from '../../output/error-report';
import { createTerminal, type Terminal } from '../../output/terminal';
import { checkProject, projectDirectory } from '../../preflight/check-project';
import type { RemoteFlags } from '../remote-options';

export interface DoctorFlags extends RemoteFlags {
  local?: boolean;
}

const MIN_NODE_MAJOR = 20;

/** The docker CLI, behind a function tests replace: exit code and stdout of `docker <args>`. */
export type DockerProbe = (args: string[]) => Promise<{ exitCode: number; stdout: string }>;

export interface DoctorDeps {
  createClients: typeof createAwsClients;
  docker: DockerProbe;
  nodeVersion: string;
  terminal: Terminal;
}

const defaultDeps = (): DoctorDeps => ({
  createClients: createAwsClients,
  docker: runDocker,
  nodeVersion: process.versions.node,
  terminal: createTerminal(),
});

class Report {
  failed = false;
  constructor(private readonly terminal: Terminal) {}

  ok(name: string, detail: string): void {
    this.terminal.line(`${this.terminal.colors.green('✔')} ${name}: ${detail}`);
  }

  /** A failed check: what is wrong and how to fix it, through the one error formatter's wording. */
  fail(name: string, error: unknown): void {
    this.failed = true;
    const { message, hint } = describeError(error, { verboseFlag: true, verbose: false });
    this.terminal.line(`${this.terminal.colors.red('✖')} ${name}: ${message}`);
    if (hint) this.terminal.line(`    fix: ${hint}`);
  }

  skip(name: string, why: string): void {
    this.terminal.line(`- ${name}: skipped (${why})`);
  }

  info(name: string, detail: string): void {
    this.terminal.line(`- ${name}: ${detail}`);
  }
}

export async function runDoctor(
  dir: string,
  flags: DoctorFlags,
  deps: DoctorDeps = defaultDeps(),
): Promise<number> {
  const report = new Report(deps.terminal);
  const major = Number(deps.nodeVersion.split('.')[0]);
  if (major >= MIN_NODE_MAJOR)
    report.ok('Node.js', `${deps.nodeVersion} (kiln needs ${MIN_NODE_MAJOR} or later)`);
  else
    report.fail(
      'Node.js',
      new KilnError(
        `Node.js ${deps.nodeVersion} is too old; kiln needs ${MIN_NODE_MAJOR} or later`,
        `Install Node.js ${MIN_NODE_MAJOR} or later (nodejs.org, or nvm install ${MIN_NODE_MAJOR}).`,
      ),
    );

  const config = await loadConfig(await projectDirectory(dir)).then(
    (loaded) => loaded.config,
    (error: unknown) => {
      report.fail('config', error);
      return undefined;
    },
  );
  if (flags.local) await checkDocker(report, deps.docker, true);
  else if (config) await checkAws(report, flags, config, deps);
  else report.skip('AWS', 'needs a valid config');

  if (config) {
    try {
      const check = await checkProject(dir, config);
      report.ok(
        'app',
        check.generated ? `${check.generated.report.framework} (${check.mode.reason})` : check.mode.reason,
      );
      for (const warning of check.warnings) deps.terminal.line(`    warning: ${warning}`);
    } catch (error) {
      report.fail('app', error);
    }
  }
  if (!flags.local) await checkDocker(report, deps.docker, false);
  deps.terminal.line(
    report.failed
      ? 'kiln doctor: a build would not start; fix the first ✖ above.'
      : 'kiln doctor: a build would start.',
  );
  return report.failed ? EXIT_CODES.localError : EXIT_CODES.success;
}

async function checkAws(
  report: Report,
  flags: DoctorFlags,
  config: NonNullable<Awaited<ReturnType<typeof loadConfig>>['config']>,
  deps: DoctorDeps,
): Promise<void> {
  const region = flags.region ?? config.remote.region;
  const profile = flags.profile ?? config.remote.profile;
  let clients: AwsClients;
  try {
    clients = await deps.createClients({ ...(region ? { region } : {}), ...(profile ? { profile } : {}) });
    report.ok('region', clients.region);
  } catch (error) {
    report.fail('region', toKilnError(error, { profile }));
    return report.skip('credentials, stack, access', 'need a region');
  }
  let account: string;
  try {
    await clients.sts.config.credentials();
    account = await callerAccount(clients, profile);
    report.ok('credentials', `account ${account}${profile ? `, profile ${profile}` : ''}`);
  } catch (error) {
    report.fail('credentials', toKilnError(error, { region: clients.region, profile }));
    return report.skip('stack, access', 'need credentials');
  }
  // A multi-architecture config: the first architecture's project (each build checks its own before packing).
  const infra = infrastructureNames(
    config.remote,
    account,
    clients.region,
    primaryArchitecture(config.remote.arch),
  );
  const context = { ...infra, ...(profile ? { profile } : {}) };
  try {
    await assertBucketExists(clients, infra);
    const project = await findBuildProject(clients.codebuild, infra.project);
    if (!project) throw infrastructureNotFound(context);
    const type = project.environment?.type;
    if (type !== ENVIRONMENT_TYPES[infra.architecture]) {
      throw new KilnError(
        `the CodeBuild project ${infra.project} runs on ${type}, not ${infra.architecture}`,
        'Deploy the stack again: npm run deploy-infra.',
      );
    }
    report.ok(
      'stack',
      `bucket ${infra.bucket}, CodeBuild project ${infra.project} (${type}, ${project.environment?.computeType})`,
    );
  } catch (error) {
    report.fail('stack', toKilnError(error, context));
    return report.skip('access', 'needs the stack');
  }
  try {
    const calls = await dryRunBuildCalls(clients, infra);
    report.ok('access', `this identity may make a build's calls (${calls.join(', ')})`);
  } catch (error) {
    report.fail('access', toKilnError(error, context));
  }
}

async function checkDocker(report: Report, docker: DockerProbe, required: boolean): Promise<void> {
  const name = required ? 'docker' : 'docker (for --local only)';
  const engine = await docker(['version', '--format', '{{.Server.Version}}']).catch(() => undefined);
  if (engine?.exitCode !== 0) {
    const problem = new KilnError(
      engine ? 'the docker engine does not answer' : 'docker is not installed (no docker on PATH)',
      engine
        ? 'Start the docker engine (or set DOCKER_HOST), and check you may use it (the docker group).'
        : 'Install docker (Docker Desktop, or the docker.io package).',
    );
    if (required) report.fail(name, problem);
    else report.info(name, `${problem.message}; remote builds do not need it`);
    return;
  }
  const buildx = await docker(['buildx', 'version']).catch(() => undefined);
  const builder =
    buildx?.exitCode === 0 ? 'buildx' : "the engine's BuildKit (DOCKER_BUILDKIT=1) or the classic builder";
  const detail = `engine ${engine.stdout.trim()}, builder: ${builder}`;
  if (required) report.ok(name, detail);
  else report.info(name, detail);
}

function runDocker(args: string[]): Promise<{ exitCode: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: 10_000 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(error);
      else resolve({ exitCode: error ? Number(error.code) || 1 : 0, stdout });
    });
  });
}
