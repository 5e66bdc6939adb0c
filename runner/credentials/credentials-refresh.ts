// Keeps the build's AWS credentials file current while the image builds. The role's credentials
// last about an hour in CodeBuild, and the image build may run longer; BuildKit reads a secret's
// file each time a RUN step mounts it (docker's session secret provider, checked on engine 20.10),
// so a step that starts late gets the credentials current then. The classic builder takes them as
// build args once, at its start: nothing can be refreshed there.
import { rename, writeFile } from 'node:fs/promises';
import type { Masker } from '../log/masker';
import { type CredentialSource, credentialsFileText, resolveCredentialBuildArgs } from './build-credentials';

export interface CredentialsRefresh {
  /** Stops refreshing; resolves once a refresh in progress has finished writing. */
  stop(): Promise<void>;
}

export interface CredentialsRefreshOptions {
  /** The BuildKit secret file (`[default]` profile) to keep current. */
  file: string;
  source: CredentialSource;
  region: string | undefined;
  everyMs: number;
  masker: Masker;
  /** Told once when a refresh fails (the previous credentials stay in place). */
  onFailure: (error: unknown) => void;
}

export function refreshCredentialsFile(options: CredentialsRefreshOptions): CredentialsRefresh {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let failed = false;
  const refresh = async () => {
    try {
      const args = await resolveCredentialBuildArgs(options.source, options.region, true);
      if (!args || stopped) return;
      // Masked before the file can be read by any step that might print it.
      options.masker.add(...Object.values(args));
      // Written beside and renamed over: a step mounting it meanwhile sees the old or the new file whole.
      const next = `${options.file}.next`;
      await writeFile(next, credentialsFileText(args), { mode: 0o600 });
      await rename(next, options.file);
    } catch (error) {
      if (!failed) options.onFailure(error);
      failed = true;
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = refresh().then(() => {
        if (!stopped) schedule();
      });
    }, options.everyMs);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
