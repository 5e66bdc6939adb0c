// `kiln stop [id]`: stop a running build (a finished one is left as it is), and delete the `--secret`
// values stored for it that are still there: a build stopped before its runner started never
// deleted them, and kiln's own clean-up is gone when the build was started with --async.
import type { Build } from '@aws-sdk/client-codebuild';
import { EXIT_CODES } from '../../../contract/errors';
import { deleteSecrets, storedSecretsOf } from '../../aws/build-secrets';
import type { AwsClients } from '../../aws/clients';
import { stopBuild } from '../../aws/codebuild';
import { messageOf } from '../../aws/errors';
import { targetBuildId } from '../../aws/project-context';
import { getBuild } from '../../follow/follow-build';
import { isComplete } from '../../follow/outcome';
import type { Terminal } from '../../output/terminal';
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
    } else {
      await stopBuild(codebuild, build.id!);
      terminal.line(`stopping build ${build.id}; \`kiln status ${build.id}\` shows when it has stopped`);
    }
    await deleteLeftSecrets(context.session.clients, build, terminal);
    return EXIT_CODES.success;
  });
}

/** A failure here leaves the build stopped: it is told, not fatal (the values expire on their own). */
async function deleteLeftSecrets(clients: AwsClients, build: Build, terminal: Terminal): Promise<void> {
  const parameters = storedSecretsOf(build);
  if (parameters.length === 0) return;
  try {
    const deleted = await deleteSecrets(clients.ssm, parameters);
    if (deleted.length > 0) {
      const names = deleted.map((name) => name.slice(name.lastIndexOf('/') + 1));
      terminal.line(`deleted the secrets stored for this build: ${names.join(', ')}`);
    }
  } catch (error) {
    terminal.line(
      `kiln: could not delete the secrets stored for this build (${messageOf(error)}); they expire on their own when the build's queue and run timeouts have passed`,
    );
  }
}
