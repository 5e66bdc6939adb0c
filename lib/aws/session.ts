// Everything a remote command needs before its first real call: clients from the credential chain,
// the caller's account, and the stack's names for that account and region.
import { type Architecture, primaryArchitecture } from '../../contract/architectures';
import type { KilnConfig } from '../../contract/config-schema';
import { type AwsClients, createAwsClients } from './clients';
import type { ProjectTimeouts } from './codebuild';
import { toKilnError } from './errors';
import {
  assertBucketExists,
  callerAccount,
  type Infrastructure,
  infrastructureNames,
} from './infrastructure';
import { assertProfileExists, namedProfile } from './profiles';

export interface RemoteSession {
  clients: AwsClients;
  infra: Infrastructure;
  profile?: string;
  /** The CodeBuild project's timeouts, once `kiln build` has looked the project up. */
  timeouts?: ProjectTimeouts;
}

export interface SessionOptions {
  remote: KilnConfig['remote'];
  /** `--arch`, else config `remote.arch`. */
  arch?: Architecture;
  /** `--region` / `--profile` flags win over the config's `remote.region` / `remote.profile`. */
  region?: string;
  profile?: string;
  /** Check that the source bucket exists (commands that upload). */
  checkBucket?: boolean;
  createClients?: typeof createAwsClients;
}

export async function openSession(options: SessionOptions): Promise<RemoteSession> {
  const region = options.region ?? options.remote.region;
  const profile = options.profile ?? options.remote.profile;
  const named = namedProfile(
    options.profile
      ? { name: options.profile, source: '--profile' }
      : options.remote.profile
        ? { name: options.remote.profile, source: 'remote.profile in the kiln config' }
        : undefined,
    process.env,
  );
  if (named) await assertProfileExists(named, process.env);
  let clients: AwsClients;
  try {
    clients = await (options.createClients ?? createAwsClients)({
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
    });
  } catch (error) {
    throw toKilnError(error, { profile });
  }
  const account = await callerAccount(clients, profile);
  const infra = infrastructureNames(
    options.remote,
    account,
    clients.region,
    options.arch ?? primaryArchitecture(options.remote.arch),
  );
  if (options.checkBucket) await assertBucketExists(clients, infra);
  return { clients, infra, ...(profile ? { profile } : {}) };
}

/** Maps an AWS failure in this session to the user-facing error (account and region known). */
export function sessionError(session: RemoteSession, error: unknown): unknown {
  return toKilnError(error, { ...session.infra, ...(session.profile ? { profile: session.profile } : {}) });
}
