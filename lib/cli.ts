// The `kiln` command line. Each command module is loaded only when its command runs, so that
// `kiln --version` and `kiln dockerfile` never pay for the AWS SDK.
import { Command } from 'commander';
import { KILN_VERSION } from './version';

export function buildProgram(): Command {
  const program = new Command('kiln')
    .description('Build Docker images remotely on AWS CodeBuild, with a managed Dockerfile')
    .version(KILN_VERSION)
    .showHelpAfterError();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
