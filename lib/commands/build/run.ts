// `kiln build` wiring: flags → build description → remote build (or `--local`), then the
// outcome as an exit code and, with --json, one JSON document on stdout.
import { rm } from 'node:fs/promises';
import { ARCHITECTURES, architecturesOf } from '../../../contract/architectures';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { assertBuildProject } from '../../aws/codebuild';
import { openSession, sessionError } from '../../aws/session';
import { processInterrupts, withInterruption } from '../../follow/interrupts';
import { BuildReporter } from '../../output/build-reporter';
import { describeError } from '../../output/error-report';
import { createLogger, type Logger } from '../../output/logger';
import { createPackProgress } from '../../output/pack-progress';
import { writeStepOutputs } from '../../output/step-outputs';
import { createTerminal, type Terminal } from '../../output/terminal';
import { describeProject } from '../../pack/describe-project';
import { type PackedArchive, packProject } from '../../pack/pack-project';
import { projectDirectory } from '../../preflight/check-project';
import { createUploadProgress } from '../../upload/progress';
import { uploadArchive } from '../../upload/upload-archive';
import { type BuildFlags, checkFlags, configOverrides, parseBuildArgs, readSecrets } from './flags';
import { checkMultiArch, type MultiArchResult, runMultiArchBuild } from './multi-arch';
import { preflightBuild } from './preflight';
import { type BuildResult, type RemoteBuildOptions, runRemoteBuild } from './remote-build';
import { runLocal } from './run-local';

export async function runBuildCommand(dir: string, flags: BuildFlags): Promise<number> {
  const terminal = createTerminal();
  const logger = createLogger({ verbose: Boolean(flags.verbose) });
  try {
    checkFlags(flags, ARCHITECTURES);
    const buildArgs = parseBuildArgs(flags.env);
    await projectDirectory(dir);
    // A kiln.config.ts is user code: Ctrl-C or SIGTERM while it evaluates (or the pre-flight runs) stops it too.
    const { description, secrets } = await withInterruption(
      async (signal) => {
        const described = await describeProject(dir, configOverrides(flags), signal);
        // The secrets' names travel in build.json (the generated Dockerfile mounts them); values never do.
        const secretNames = [...new Set([...described.config.dockerfile.secrets, ...(flags.secret ?? [])])];
        const secrets = readSecrets(secretNames, buildArgs, process.env);
        const description = {
          ...described,
          config: {
            ...described.config,
            dockerfile: { ...described.config.dockerfile, secrets: secretNames },
          },
        };
        logger.debug(
          {
            name: description.name,
            git: description.git,
            buildArgNames: Object.keys(buildArgs),
            secretNames,
          },
          'project',
        );
        checkMultiArch(description, Boolean(flags.local));
        await preflightBuild(dir, description, flags, terminal);
        signal.throwIfAborted();
        return { description, secrets };
      },
      () => new KilnError('interrupted: nothing was packed or started', undefined, EXIT_CODES.interrupted),
    );
    const { document, exitCode } = flags.local
      ? await runLocal(dir, flags, description, buildArgs, secrets, terminal)
      : await runRemote(dir, flags, description, buildArgs, secrets, terminal, logger);
    if (flags.json) writeJson(document);
    // --async: the id on stdout, alone, for scripts (`id=$(kiln build --async)`); the rest is on stderr.
    else if (flags.async && document.buildId) process.stdout.write(`${document.buildId}\n`);
    await writeStepOutputs(process.env.GITHUB_OUTPUT, document);
    return exitCode;
  } catch (error) {
    if (flags.json) writeJson(errorDocument(error, Boolean(flags.verbose)));
    throw error;
  }
}

function runRemote(
  dir: string,
  flags: BuildFlags,
  description: Awaited<ReturnType<typeof describeProject>>,
  buildArgs: Record<string, string>,
  secrets: Record<string, string>,
  terminal: Terminal,
  logger: Logger,
): Promise<BuildResult | MultiArchResult> {
  const reporter = new BuildReporter(terminal);
  const options: RemoteBuildOptions<PackedArchive> = {
    projectDir: dir,
    description,
    buildArgs,
    secrets,
    async: Boolean(flags.async),
    force: Boolean(flags.force),
    debug: Boolean(flags.verbose),
    ...(description.config.remote.compute ? { computeType: description.config.remote.compute } : {}),
    ...(description.config.remote.timeoutMinutes
      ? { timeoutMinutes: description.config.remote.timeoutMinutes }
      : {}),
    openSession: async () => {
      const session = await openSession({
        remote: description.config.remote,
        checkBucket: true,
        ...(flags.region ? { region: flags.region } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
      });
      // Still before the upload: the architecture's project is deployed.
      const timeouts = await assertBuildProject(session.clients.codebuild, session.infra).catch((error) => {
        throw sessionError(session, error);
      });
      return timeouts ? { ...session, timeouts } : session;
    },
    steps: {
      pack: async (input) => {
        const progress = createPackProgress(terminal);
        try {
          return await packProject({ ...input, onProgress: (update) => progress.update(update) });
        } finally {
          progress.finish();
        }
      },
      upload: async ({ archive, ...input }) => {
        const progress = createUploadProgress(terminal);
        // "uploaded N MiB" only once the upload completed: never for a failed or interrupted one.
        let completed = false;
        try {
          const uploaded = await uploadArchive({
            ...input,
            archive,
            onProgress: (update) => progress.update(update),
            onNote: (text) => reporter.note(text),
          });
          completed = !uploaded.skipped;
          return uploaded;
        } finally {
          progress.finish(completed);
        }
      },
      discard: (archive) => rm(archive.path, { force: true }),
    },
    reporter,
    interrupts: processInterrupts,
    logger,
  };
  // Several architectures: one build each and an image index (multi-arch.ts).
  if (architecturesOf(description.config.remote.arch).length > 1)
    return runMultiArchBuild({ ...options, terminal });
  return runRemoteBuild(options);
}

function writeJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** With --json, a failure is still one parseable document (the human message goes to stderr too). */
function errorDocument(error: unknown, verbose: boolean): unknown {
  const { message, hint, exitCode } = describeError(error, { verboseFlag: true, verbose });
  return { error: { message, hint, exitCode } };
}
