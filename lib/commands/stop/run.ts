// `kiln stop [id]`: stop a running build (a finished one is left as it is).
import { EXIT_CODES } from '../../../contract/errors';
import { stopBuild } from '../../aws/codebuild';
import { targetBuildId } from '../../aws/project-context';
import { getBuild } from '../../follow/follow-build';
import { isComplete } from '../../follow/outcome';
import { withContext } from '../query-context';
import type { RemoteFlags } from '../remote-options';

export interface StopFlags extends RemoteFlags {
  dir: string;
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
