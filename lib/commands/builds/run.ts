// `kiln builds`: this project's recent builds, newest first, as a table or one JSON document.
import type { Colors } from 'picocolors/types';
import { EXIT_CODES } from '../../../contract/errors';
import { projectBuilds } from '../../aws/project-context';
import { summarizeBuild } from '../../follow/outcome';
import { formatAge, formatDuration } from '../../output/format';
import { formatTable } from '../../output/table';
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
    const now = Date.now();
    const rows = builds.map((build) => {
      const outcome = summarizeBuild(build, now);
      return [
        outcome.buildId,
        outcome.status,
        build.startTime ? formatAge(build.startTime, now) : '',
        outcome.durationSeconds !== undefined ? formatDuration(outcome.durationSeconds) : '',
        outcome.imageUri ?? (outcome.failedPhase ? `failed in ${outcome.failedPhase.phase}` : ''),
      ];
    });
    const paint = statusColors(terminal.colors);
    for (const line of formatTable(['BUILD ID', 'STATUS', 'STARTED', 'DURATION', 'IMAGE'], rows, {
      1: paint,
    })) {
      printData(line);
    }
    return EXIT_CODES.success;
  });
}

/** Status cells coloured by outcome (after padding, so colours do not shift the columns). */
function statusColors(colors: Colors): (cell: string) => string {
  return (cell) =>
    cell.startsWith('SUCCEEDED')
      ? colors.green(cell)
      : cell.startsWith('IN_PROGRESS')
        ? colors.yellow(cell)
        : colors.red(cell);
}
