// One build's `--secret` values from kiln's side: stored just before its StartBuild, deleted once kiln
// is done with the build (the runner and the SSM expiration are the other two deleters:
// ../../aws/build-secrets.ts). Single- and multi-architecture builds hold one each per build.
import { deleteSecrets, type StoredSecrets, storeSecrets } from '../../aws/build-secrets';
import { messageOf } from '../../aws/errors';
import { type RemoteSession, sessionError } from '../../aws/session';
import type { BuildReporter } from '../../output/build-reporter';

/** CodeBuild's longest timeouts (queue, build), for the expiration when the project's are unknown. */
const MAX_QUEUED_MINUTES = 480;
const MAX_BUILD_MINUTES = 2160;

export class BuildSecrets {
  private stored: StoredSecrets | undefined;

  constructor(
    private readonly session: RemoteSession,
    private readonly reporter: Pick<BuildReporter, 'note'>,
  ) {}

  /** Stores the values for this build; undefined when there are none. */
  async store(secrets: Record<string, string>, timeoutMinutes?: number): Promise<StoredSecrets | undefined> {
    if (Object.keys(secrets).length === 0) return undefined;
    const { timeouts } = this.session;
    this.stored = await storeSecrets(this.session.clients.ssm, secrets, {
      // The project's timeouts when the pre-upload check could read them, else the longest CodeBuild allows.
      queuedMinutes: timeouts?.queuedMinutes ?? MAX_QUEUED_MINUTES,
      buildMinutes: timeoutMinutes ?? timeouts?.buildMinutes ?? MAX_BUILD_MINUTES,
      now: Date.now(),
    });
    this.reporter.note(
      `secrets ${Object.keys(secrets).join(', ')} stored for this build (SSM SecureString, deleted when it ends)`,
    );
    return this.stored;
  }

  /** Deletes what is still stored; a failure is a warning (the expiration deletes it). */
  async delete(): Promise<void> {
    const stored = this.stored;
    if (!stored) return;
    this.stored = undefined;
    await deleteSecrets(this.session.clients.ssm, Object.values(stored.parameters)).catch((error) => {
      this.reporter.note(
        `warning: could not delete the build's secrets under ${stored.path} (${messageOf(sessionError(this.session, error))}); they expire on their own`,
      );
    });
  }
}
