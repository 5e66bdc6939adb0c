// The `kiln` command line. Each command file registers its flags here but loads its implementation
// (and the AWS SDK) only when it runs, so `kiln --version` and `kiln dockerfile` stay fast.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, KilnError } from '../contract/errors';
import { registerBuildCommand } from './commands/build/register';
import { registerBuildsCommand } from './commands/builds/register';
import { registerCompletionCommand } from './commands/completion/register';
import { registerDockerfileCommand } from './commands/dockerfile/register';
import { registerDoctorCommand } from './commands/doctor/register';
import { registerInitCommand } from './commands/init/register';
import { registerLogsCommand } from './commands/logs/register';
import { registerPackCommand } from './commands/pack/register';
import { registerStatusCommand } from './commands/status/register';
import { registerStopCommand } from './commands/stop/register';
import { installInterruptHandling } from './follow/interrupts';
import { describeError, formatErrorReport, type ReportContext } from './output/error-report';
import { KILN_VERSION } from './version';

export function buildProgram(onAction: (command: Command) => void = () => {}): Command {
  const program = new Command('kiln')
    .description('Build Docker images remotely on AWS CodeBuild, with a managed Dockerfile')
    .version(KILN_VERSION)
    .showHelpAfterError('  Run `kiln --help` for the commands.')
    // Usage errors read like kiln's other errors: one line, then the hint (never the whole help).
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'kiln: ')) })
    .exitOverride()
    .hook('preAction', (_program, action) => onAction(action));
  registerInitCommand(program);
  registerDockerfileCommand(program);
  registerPackCommand(program);
  registerBuildCommand(program);
  registerLogsCommand(program);
  registerStatusCommand(program);
  registerBuildsCommand(program);
  registerStopCommand(program);
  registerDoctorCommand(program);
  registerCompletionCommand(program);
  for (const command of program.commands) {
    command.showHelpAfterError(`  Run \`kiln ${command.name()} --help\` for its options.`);
  }
  return program;
}

/** Prints an error the way users should see it (one formatter for all); returns the exit code. */
function reportError(error: unknown, command: Command | undefined): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  }
  const context: ReportContext = {
    verboseFlag: Boolean(command?.options.some((option) => option.long === '--verbose')),
    verbose: Boolean(command?.opts().verbose),
  };
  const report = describeError(error, context);
  process.stderr.write(formatErrorReport(report, context));
  if (process.env.KILN_DEBUG) console.error(error);
  return report.exitCode;
}

/**
 * The event loop ran dry while a command was still waiting (a promise nothing will ever settle):
 * that must never pass for success.
 */
function stalled(): KilnError {
  return new KilnError(
    'kiln stopped waiting for something that can never finish (nothing was left to wait on)',
    'This is a bug in kiln or in code it ran (a kiln.config.ts whose export never resolves?); nothing was built.',
  );
}

export async function main(argv: string[]): Promise<void> {
  installInterruptHandling();
  let command: Command | undefined;
  let finished = false;
  const onStall = () => {
    if (finished) return;
    finished = true;
    process.exitCode = reportError(stalled(), command);
  };
  process.once('beforeExit', onStall);
  try {
    await buildProgram((action) => {
      command = action;
    }).parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, command);
  } finally {
    finished = true;
    process.off('beforeExit', onStall);
  }
  // Interrupted: what the step started is cleaned up, but a request nobody waits for any more (an
  // endpoint that never answers) would keep the process alive until its timeout.
  if (process.exitCode === EXIT_CODES.interrupted) process.exit();
}
