// Pushing tags, and the digest the registry gave the image.
import { type DockerClient, runDocker } from '../docker/docker-client';

/** Pushes every reference; returns the image digest (`sha256:…`) the registry reported. */
export async function pushImage(
  docker: DockerClient,
  imageRefs: readonly string[],
): Promise<string | undefined> {
  let digest: string | undefined;
  for (const ref of imageRefs) {
    const pushed = await runDocker(docker, ['push', ref]);
    digest ??= pushDigest(pushed.stdout) ?? (await repoDigest(docker, ref));
  }
  return digest;
}

/** `docker push` ends with `<tag>: digest: sha256:<hex> size: <n>`. */
export function pushDigest(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

/** Fallback when the push output has no digest line: the engine's RepoDigests for this repository. */
async function repoDigest(docker: DockerClient, ref: string): Promise<string | undefined> {
  const repository = ref.replace(/:[^:/]+$/, '');
  const inspected = await docker.run(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], {
    quiet: true,
  });
  if (inspected.exitCode !== 0) return undefined;
  const digests = JSON.parse(inspected.stdout || '[]') as string[];
  return digests.find((entry) => entry.startsWith(`${repository}@`))?.split('@')[1];
}
