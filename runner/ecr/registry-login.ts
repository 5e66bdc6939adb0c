// `docker login` to ECR registries, once per registry per run. The password goes through stdin
// (never argv) and is masked in the log. Other registries (a local one) need no login.
import { type DockerClient, runDocker } from '../docker/docker-client';
import type { RunnerLog } from '../log/logger';
import { ecrRegion, registryHost } from './registry-host';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Fetches a registry login for an ECR region (GetAuthorizationToken). */
export type EcrTokenSource = (region: string) => Promise<RegistryCredentials>;

export class RegistryLogin {
  private readonly done = new Set<string>();

  constructor(
    private readonly docker: DockerClient,
    private readonly tokens: EcrTokenSource,
    private readonly log: RunnerLog,
  ) {}

  /** Logs in to the registry of `imageRef` when it is ECR and not yet logged in. */
  async ensure(imageRef: string): Promise<void> {
    const host = registryHost(imageRef);
    const region = ecrRegion(host);
    if (region === undefined || this.done.has(host)) return;
    const { username, password } = await this.tokens(region);
    this.log.masker.add(password);
    await runDocker(this.docker, ['login', '--username', username, '--password-stdin', host], {
      input: password,
    });
    this.done.add(host);
    this.log.info(`logged in to ${host}`);
  }
}
