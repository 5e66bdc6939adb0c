// What `kiln logs`, `status`, `builds` and `stop` share: the project context opened from their flags,
// AWS failures mapped to user-facing errors, stdout for data, and the JSON shape of one build.
import type { Build } from '@aws-sdk/client-codebuild';
import { consoleUrl } from '../aws/codebuild';
import { openProjectContext, type ProjectContext } from '../aws/project-context';
import { sessionError } from '../aws/session';
import { summarizeBuild } from '../follow/outcome';
import { createLogger } from '../output/logger';
import { createTerminal, type Terminal } from '../output/terminal';
import type { RemoteFlags } from './remote-options';

/** Data (log lines, status, lists) goes to stdout; notes go to stderr through the terminal. */
export const printData = (text: string) => {
  process.stdout.write(`${text}\n`);
};

/** Opens the project context, runs `work`, and maps AWS failures to their user-facing errors. */
export async function withContext<T>(
  dir: string,
  flags: RemoteFlags,
  work: (context: ProjectContext, terminal: Terminal) => Promise<T>,
): Promise<T> {
  const logger = createLogger({ verbose: Boolean(flags.verbose) });
  const context = await openProjectContext(dir, flags);
  logger.debug({ kilnProject: context.description.name, ...context.session.infra }, 'project');
  try {
    return await work(context, createTerminal());
  } catch (error) {
    throw sessionError(context.session, error);
  }
}

/** One build as `status --json` and `builds --json` print it (never its environment: build-arg values). */
export function statusDocument(build: Build, context: ProjectContext) {
  const outcome = summarizeBuild(build);
  const { region, account } = context.session.infra;
  return {
    buildId: outcome.buildId,
    status: outcome.status,
    phase: build.currentPhase ?? null,
    startTime: build.startTime?.toISOString() ?? null,
    endTime: build.endTime?.toISOString() ?? null,
    durationSeconds: outcome.durationSeconds ?? null,
    imageUri: outcome.imageUri ?? null,
    digest: outcome.digest ?? null,
    tags: outcome.tags,
    failedPhase: outcome.failedPhase ?? null,
    consoleUrl: consoleUrl(
      region,
      account,
      build.projectName ?? context.session.infra.project,
      outcome.buildId,
    ),
    logsUrl: build.logs?.deepLink ?? null,
  };
}
