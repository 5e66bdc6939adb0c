// The `kiln` command line. Each command file registers its flags here but loads its implementation
// (and the AWS SDK) only when it runs, so `kiln --version` and `kiln dockerfile` stay fast.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, KilnError } from '../contract/errors';
import { registerBuildCommand } from './commands/build/register';
import { registerBuildsCommand } from './commands/builds/register';
import { registerDockerfileCommand } from './commands/dockerfile/register';
import { registerLogsCommand } from './commands/logs/register';
import { registerPackCommand } from './commands/pack/register';
import { registerStatusCommand } from './commands/status/register';
import { registerStopCommand } from './commands/stop/register';
import { KILN_VERSION } from './version';

function buildProgram(): Command {
  const program = new Command('kiln')
    .description('Build Docker images remotely on AWS CodeBuild, with a managed Dockerfile')
    .version(KILN_VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerDockerfileCommand(program);
  registerPackCommand(program);
  registerBuildCommand(program);
  registerLogsCommand(program);
  registerStatusCommand(program);
  registerBuildsCommand(program);
  registerStopCommand(program);
  return program;
}

/** Prints an error the way users should see it: message, then how to fix it; never a stack trace. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  }
  if (error instanceof KilnError) {
    process.stderr.write(`kiln: ${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kiln: unexpected error: ${message}\n  Run again with --verbose for details.\n`);
  if (process.env.KILN_DEBUG) console.error(error);
  return EXIT_CODES.localError;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
