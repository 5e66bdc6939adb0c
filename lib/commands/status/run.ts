// `kiln status [id]`: a build's status, phase, image and failure, as a table or one JSON document.
import { EXIT_CODES } from '../../../contract/errors';
import { targetBuildId } from '../../aws/project-context';
import { getBuild } from '../../follow/follow-build';
import { isComplete, summarizeBuild } from '../../follow/outcome';
import { summaryLine } from '../../output/build-reporter';
import { formatAge } from '../../output/format';
import { printData, statusDocument, withContext } from '../query-context';
import type { RemoteFlags } from '../remote-options';

export interface StatusFlags extends RemoteFlags {
  json?: boolean;
  dir: string;
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
