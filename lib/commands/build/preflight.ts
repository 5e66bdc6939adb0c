// `kiln build`'s pre-flight: before a session is opened, anything packed or uploaded, the checks that
// need nothing but this machine (lib/preflight/check-project.ts, shared with `kiln dockerfile`), with
// their warnings shown here rather than minutes later in the build log.
import type { BuildDescription } from '../../../contract/description';
import type { Terminal } from '../../output/terminal';
import { neutralize } from '../../output/untrusted';
import { checkComputeType, checkProject, checkTagFormat } from '../../preflight/check-project';
import type { BuildFlags } from './flags';

/** CodeBuild numbers every build; `--local` runs as build number 0 (lib/local/local-environment.ts). */
const BUILD_NUMBER = { remote: '1', local: '0' };

export async function preflightBuild(
  dir: string,
  description: BuildDescription,
  flags: BuildFlags,
  terminal: Terminal,
): Promise<void> {
  if (!flags.local) checkComputeType(description.config, flags.compute !== undefined);
  const check = await checkProject(dir, description.config, {
    // A prebuilt image from the environment reaches only the local build (the buildspec inherits it).
    prebuiltImage: flags.local ? process.env.KILN_DOCKER_IMAGE : undefined,
    dockerfileFlag: typeof flags.dockerfile === 'string',
  });
  checkTagFormat(description, flags.local ? BUILD_NUMBER.local : BUILD_NUMBER.remote);
  for (const warning of check.warnings) terminal.line(`kiln: warning: ${neutralize(warning)}`);
}
