// `kiln build` wiring: flags → build description → remote build (or `--local`), then the
// outcome as an exit code and, with --json, one JSON document on stdout.
import { rm } from 'node:fs/promises';
import { ARCHITECTURES } from '../../../contract/config-schema';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { messageOf } from '../../aws/errors';
import { openSession } from '../../aws/session';
import { processInterrupts } from '../../follow/interrupts';
import { BuildReporter } from '../../output/build-reporter';
import { createLogger, type Logger } from '../../output/logger';
import { createTerminal, type Terminal } from '../../output/terminal';
import { describeProject } from '../../pack/describe-project';
import { packProject } from '../../pack/pack-project';
import { createUploadProgress } from '../../upload/progress';
import { uploadArchive } from '../../upload/upload-archive';
import { type BuildFlags, checkFlags, configOverrides, parseBuildArgs } from './flags';
import { type BuildResult, runRemoteBuild } from './remote-build';
import { runLocal } from './run-local';

export async function runBuildCommand(dir: string, flags: BuildFlags): Promise<number> {
  const terminal = createTerminal();
  const logger = createLogger({ verbose: Boolean(flags.verbose) });
  try {
    checkFlags(flags, ARCHITECTURES);
    const buildArgs = parseBuildArgs(flags.env);
    const description = await describeProject(dir, configOverrides(flags));
    logger.debug(
      { name: description.name, git: description.git, buildArgNames: Object.keys(buildArgs) },
      'project',
    );
    const { document, exitCode } = flags.local
      ? await runLocal(dir, flags, description, buildArgs, terminal)
      : await runRemote(dir, flags, description, buildArgs, terminal, logger);
    if (flags.json) writeJson(document);
    return exitCode;
  } catch (error) {
    if (flags.json) writeJson(errorDocument(error));
    throw error;
  }
}

function runRemote(
  dir: string,
  flags: BuildFlags,
  description: Awaited<ReturnType<typeof describeProject>>,
  buildArgs: Record<string, string>,
  terminal: Terminal,
  logger: Logger,
): Promise<BuildResult> {
  const reporter = new BuildReporter(terminal);
  return runRemoteBuild({
    projectDir: dir,
    description,
    buildArgs,
    async: Boolean(flags.async),
    debug: Boolean(flags.verbose),
    ...(description.config.remote.compute ? { computeType: description.config.remote.compute } : {}),
    ...(description.config.remote.timeoutMinutes
      ? { timeoutMinutes: description.config.remote.timeoutMinutes }
      : {}),
    openSession: () =>
      openSession({
        remote: description.config.remote,
        checkBucket: true,
        ...(flags.region ? { region: flags.region } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
      }),
    steps: {
      pack: (input) => packProject(input),
      upload: async ({ archive, ...input }) => {
        const progress = createUploadProgress(terminal);
        let skipped = false;
        try {
          const uploaded = await uploadArchive({
            ...input,
            archive,
            onProgress: (update) => progress.update(update),
            onNote: (text) => reporter.note(text),
          });
          skipped = uploaded.skipped;
          return uploaded;
        } finally {
          progress.finish(!skipped);
          await rm(archive.path, { force: true });
        }
      },
    },
    reporter,
    interrupts: processInterrupts,
    logger,
  });
}

function writeJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** With --json, a failure is still one parseable document (the human message goes to stderr too). */
function errorDocument(error: unknown): unknown {
  if (error instanceof KilnError) {
    return { error: { message: error.message, hint: error.hint ?? null, exitCode: error.exitCode } };
  }
  return { error: { message: messageOf(error), hint: null, exitCode: EXIT_CODES.localError } };
}
