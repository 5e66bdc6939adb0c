// `kiln builds`: this project's recent builds, newest first, as a table or one JSON document.
import { EXIT_CODES } from '../../../contract/errors';
import { projectBuilds } from '../../aws/project-context';
import { summarizeBuild } from '../../follow/outcome';
import { formatAge, formatDuration } from '../../output/format';
import { printData, statusDocument, withContext } from '../query-context';
import type { RemoteFlags } from '../remote-options';

export interface BuildsFlags extends RemoteFlags {
  limit: number;
  json?: boolean;
  dir: string;
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
