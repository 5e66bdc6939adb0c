// Build-side entry point, bundled into dist/runner.cjs and run by buildspec.yml inside CodeBuild
// (and by `kiln build --local`). Prints failures as `[kiln] ✗ …` without a stack trace, including
// errors no await catches (an 'error' event nobody handles), which Node would otherwise print with
// a line of the minified bundle; KILN_DEBUG adds the stack.
import { defaultCredentialSource } from './credentials/build-credentials';
import { deleteSecretParameters } from './credentials/user-secrets';
import { CliDockerClient } from './docker/cli-docker-client';
import { ecrTokenSource } from './ecr/ecr-token-source';
import { generateForDirectory } from './generate';
import { RunnerLog } from './log/logger';
import { reportFailure } from './log/report-failure';
import { runBuild } from './steps/run-build';
import { readRunnerEnvironment } from './steps/runner-environment';

async function main(): Promise<void> {
  const log = new RunnerLog();
  const debug = Boolean(process.env.KILN_DEBUG);
  const crash = (error: unknown) => {
    process.exitCode = reportFailure(log, error, { debug });
    process.exit();
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    const environment = readRunnerEnvironment(process.env, process.cwd());
    await runBuild(environment, {
      docker: new CliDockerClient(log),
      log,
      credentials: defaultCredentialSource(environment.inCodeBuild),
      ecrTokens: ecrTokenSource,
      generate: generateForDirectory,
      now: () => new Date(),
      env: process.env,
      deleteSecretParameters,
    });
  } catch (error) {
    process.exitCode = reportFailure(log, error, { debug });
  }
}

void main();
