// `kiln build [dir]`: its flags are registered here; the work (and the AWS SDK) loads only when it runs.
import type { Command } from 'commander';
import { addRemoteOptions } from '../remote-options';
import { type BuildFlags, collect, parseTimeout } from './flags';

export function registerBuildCommand(program: Command): void {
  const build = program
    .command('build')
    .description(
      'Build the project’s image remotely on AWS CodeBuild (or locally with --local) and follow it',
    )
    .argument('[dir]', 'project directory', '.')
    .option(
      '--arch <arch>',
      'CPU architecture of the image: x86_64, arm64, or both (x86_64,arm64: one build each, merged into an image index)',
    )
    .option('--compute <type>', 'CodeBuild compute type, e.g. BUILD_GENERAL1_LARGE')
    .option('--timeout <minutes>', 'build timeout in minutes (5-2160)', parseTimeout)
    .option('--image <image>', 'retag and push this prebuilt image instead of building')
    .option('--dockerfile [path]', 'use the project’s own Dockerfile (default ./Dockerfile)')
    .option('--tag <format>', 'image tag format, e.g. ":FRIENDLY_TAG-:GIT_SHA"')
    .option(
      '--env <KEY=VALUE>',
      'build arg for the image build (repeatable). Not secret: the value is a PLAINTEXT CodeBuild variable that anyone allowed codebuild:BatchGetBuilds on the project can read (kiln users, the console, read-only roles) while CodeBuild keeps the build, and it shows in this command line (ps). Never packed or printed by kiln; use --secret for tokens',
      collect,
      [],
    )
    .option(
      '--secret <NAME>',
      'a secret for the image build (repeatable): the value is read from the environment variable NAME, stored for the build as an SSM SecureString that is deleted when the build ends, and reaches RUN steps as a BuildKit secret (/run/secrets/NAME); never in argv, logs, the archive or the image',
      collect,
      [],
    )
    .option('--async', 'start the build, print its id and return without following it')
    .option('--force', 'build even when ECR already holds an image built from the same input')
    .option('--json', 'print one JSON document on stdout at the end (human output stays on stderr)')
    .option('--local', 'build with the local docker daemon instead of CodeBuild')
    .option('--registry <host[:port]/repo>', 'with --local: push the image to this registry')
    .option('--no-push', 'with --local: build and tag only');
  addRemoteOptions(build).action(async (dir: string, flags: BuildFlags) => {
    const { runBuildCommand } = require('./run') as typeof import('./run');
    process.exitCode = await runBuildCommand(dir, flags);
  });
}
