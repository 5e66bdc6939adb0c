// Flags shared by every command that talks to AWS. Light on purpose (no SDK): command modules
// import it at load time.
import type { Command } from 'commander';

export interface RemoteFlags {
  profile?: string;
  region?: string;
  verbose?: boolean;
}

export function addRemoteOptions(command: Command): Command {
  return command
    .option('--profile <name>', 'AWS profile (default: config remote.profile, AWS_PROFILE, default chain)')
    .option('--region <region>', 'AWS region (default: config remote.region, AWS_REGION, the profile)')
    .option('--verbose', 'structured debug logs on stderr');
}
