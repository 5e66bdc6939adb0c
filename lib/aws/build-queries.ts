// `kiln logs`, `status`, `builds` and `stop`: look at (or stop) builds already started, by id or
// the latest of this project. Data (log lines, status, lists) goes to stdout, notes to stderr.
import type { Build } from '@aws-sdk/client-codebuild';
import { EXIT_CODES } from '../../runner/errors';
import type { BuildsFlags } from '../commands/builds';
import type { LogsFlags } from '../commands/logs';
import type { StatusFlags } from '../commands/status';
import type { StopFlags } from '../commands/stop';
import { realClock } from '../follow/clock';
import { followBuild, getBuild } from '../follow/follow-build';
import { processInterrupts } from '../follow/interrupts';
import { LogTail } from '../follow/log-tail';
import { isComplete, summarizeBuild } from '../follow/outcome';
import { BuildReporter, summaryLine } from '../output/build-reporter';
import { formatAge, formatDuration } from '../output/format';
import { createLogger } from '../output/logger';
import { createTerminal, type Terminal } from '../output/terminal';
import { neutralize } from '../output/untrusted';
import { consoleUrl, stopBuild } from './codebuild';
import { openProjectContext, type ProjectContext, projectBuilds, targetBuildId } from './project-context';
import type { RemoteFlags } from './remote-options';
import { sessionError } from './session';

const printData = (text: string) => {
  process.stdout.write(`${text}\n`);
};

/** Opens the project context, runs `work`, and maps AWS failures to their user-facing errors. */
async function withContext<T>(
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

export function runLogsCommand(id: string | undefined, flags: LogsFlags): Promise<number> {
  return withContext(flags.dir, flags, async (context, terminal) => {
    const buildId = await targetBuildId(context, id);
    const { codebuild, logs } = context.session.clients;
    const reporter = new BuildReporter(terminal, printData);
    if (!flags.follow) {
      const build = await getBuild(codebuild, buildId);
      const { groupName, streamName } = build.logs ?? {};
      const tail = groupName && streamName ? new LogTail(logs, groupName, streamName, realClock) : undefined;
      let read = await tail?.read();
      if (!read?.found)
        reporter.note(`build ${buildId} has no log yet (phase ${build.currentPhase ?? 'unknown'})`);
      // A long log takes several reads; each stops at a page limit or once caught up.
      while (tail && read) {
        for (const line of read.lines) printData(neutralize(line.message));
        read = read.caughtUp ? undefined : await tail.read();
      }
      return EXIT_CODES.success;
    }
    reporter.note(`following build ${buildId} (Ctrl-C detaches)`);
    const detach = new AbortController();
    const unsubscribe = processInterrupts(() => detach.abort());
    try {
      const { build, detached } = await followBuild({
        codebuild,
        logs,
        buildId,
        signal: detach.signal,
        onEvent: (event) => reporter.event(event),
      });
      if (detached) {
        reporter.detached(buildId);
        return EXIT_CODES.detached;
      }
      const outcome = summarizeBuild(build);
      reporter.summary(outcome);
      return outcome.exitCode;
    } finally {
      unsubscribe();
      reporter.stop();
    }
  });
}

export function runStatusCommand(id: string | undefined, flags: StatusFlags): Promise<number> {
  return withContext(flags.dir, flags, async (context, terminal) => {
    const build = await getBuild(context.session.clients.codebuild, await targetBuildId(context, id));
    const document = statusDocument(build, context);
    if (flags.json) {
      printData(JSON.stringify(document, null, 2));
      return EXIT_CODES.success;
    }
    const { colors } = terminal;
    const rows: [string, string | undefined][] = [
      ['build', document.buildId],
      [
        'status',
        `${summaryLine(summarizeBuild(build), colors)}${isComplete(build) ? '' : ` (phase ${document.phase})`}`,
      ],
      [
        'started',
        build.startTime
          ? `${build.startTime.toISOString()} (${formatAge(build.startTime, Date.now())})`
          : undefined,
      ],
      ['tags', document.tags.join(', ') || undefined],
      ['console', document.consoleUrl],
      ['logs', document.logsUrl ?? undefined],
    ];
    for (const [label, value] of rows) if (value) printData(`${colors.dim(label.padEnd(8))}${value}`);
    return EXIT_CODES.success;
  });
}

export function runBuildsCommand(flags: BuildsFlags): Promise<number> {
  return withContext(flags.dir, flags, async (context, terminal) => {
    const builds = await projectBuilds(context, flags.limit);
    if (flags.json) {
      printData(
        JSON.stringify(
          builds.map((build) => statusDocument(build, context)),
          null,
          2,
        ),
      );
      return EXIT_CODES.success;
    }
    if (!builds.length) {
      terminal.line(`no builds of ${context.description.name} yet; start one with \`kiln build\``);
      return EXIT_CODES.success;
    }
    const { colors } = terminal;
    const now = Date.now();
    for (const build of builds) {
      const outcome = summarizeBuild(build, now);
      const paint =
        outcome.status === 'SUCCEEDED'
          ? colors.green
          : outcome.status === 'IN_PROGRESS'
            ? colors.yellow
            : colors.red;
      printData(
        [
          outcome.buildId,
          paint(outcome.status.padEnd(11)),
          (build.startTime ? formatAge(build.startTime, now) : '').padEnd(12),
          (outcome.durationSeconds !== undefined ? formatDuration(outcome.durationSeconds) : '').padEnd(8),
          outcome.imageUri ?? outcome.failedPhase?.phase ?? '',
        ].join('  '),
      );
    }
    return EXIT_CODES.success;
  });
}

export function runStopCommand(id: string | undefined, flags: StopFlags): Promise<number> {
  return withContext(flags.dir, flags, async (context, terminal) => {
    const { codebuild } = context.session.clients;
    const build = await getBuild(codebuild, await targetBuildId(context, id));
    if (isComplete(build)) {
      terminal.line(`build ${build.id} already finished: ${build.buildStatus}`);
      return EXIT_CODES.success;
    }
    await stopBuild(codebuild, build.id!);
    terminal.line(`stopping build ${build.id}; \`kiln status ${build.id}\` shows when it has stopped`);
    return EXIT_CODES.success;
  });
}

/** One build as `status --json` and `builds --json` print it (never its environment: build-arg values). */
function statusDocument(build: Build, context: ProjectContext) {
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
