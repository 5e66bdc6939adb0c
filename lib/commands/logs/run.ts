// `kiln logs [id]`: print a build's log, or follow it until it ends (Ctrl-C detaches).
import { EXIT_CODES } from '../../../contract/errors';
import { targetBuildId } from '../../aws/project-context';
import { realClock } from '../../follow/clock';
import { followBuild, getBuild } from '../../follow/follow-build';
import { processInterrupts } from '../../follow/interrupts';
import { LogTail, readWholeLog } from '../../follow/log-tail';
import { summarizeBuild } from '../../follow/outcome';
import { BuildReporter } from '../../output/build-reporter';
import { neutralize } from '../../output/untrusted';
import { printData, withContext } from '../query-context';
import type { RemoteFlags } from '../remote-options';

export interface LogsFlags extends RemoteFlags {
  follow?: boolean;
  dir: string;
}

export function runLogsCommand(id: string | undefined, flags: LogsFlags): Promise<number> {
  return withContext(flags.dir, flags, async (context, terminal) => {
    const buildId = await targetBuildId(context, id);
    const { codebuild, logs } = context.session.clients;
    const reporter = new BuildReporter(terminal, { logLine: printData });
    if (!flags.follow) {
      const build = await getBuild(codebuild, buildId);
      const { groupName, streamName } = build.logs ?? {};
      const tail = groupName && streamName ? new LogTail(logs, groupName, streamName, realClock) : undefined;
      // A long log takes several reads, paced like a follower's backlog.
      const found =
        tail &&
        (await readWholeLog(
          tail,
          (lines) => {
            for (const line of lines) printData(neutralize(line.message));
          },
          realClock,
        ));
      if (!found) reporter.note(`build ${buildId} has no log yet (phase ${build.currentPhase ?? 'unknown'})`);
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
