// Base images through the account's ECR pull-through cache of ECR Public (the stack's rule, prefix
// kiln-ecr-public): in CodeBuild every FROM and the BuildKit builder image are pulled as
// `<account>.dkr.ecr.<region>.amazonaws.com/kiln-ecr-public/<ECR Public path>`, so no build meets
// Docker Hub's per-address pull limits, which CodeBuild hosts outside a VPC share with other
// customers. Docker's official images are on ECR Public at docker/library/<name>. Images with no
// known mirror (a private registry, a Docker Hub image outside the official library) stay as they are.
import { parseDockerfile } from '../dockerfile/parse';
import { registryHost } from './registry-host';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const ECR_PUBLIC = 'public.ecr.aws';

/**
 * moby/buildkit, the image of kiln's docker-container buildx builder, is not a Docker official image;
 * ECR Public's `vend` namespace mirrors it (a community mirror: if it is ever gone, the builder fails
 * to start and kiln falls back to the engine's BuildKit).
 */
export const BUILDKIT_ECR_PUBLIC_PATH = 'vend/moby/buildkit:buildx-stable-1';

/** `ref` through the mirror (`<host>/<prefix>`), or undefined when ECR Public has no copy of it. */
export function mirroredImage(ref: string, mirror: string): string | undefined {
  const host = registryHost(ref);
  const path = host === 'docker.io' && !ref.startsWith('docker.io/') ? ref : ref.slice(host.length + 1);
  if (host === ECR_PUBLIC) return `${mirror}/${path}`;
  if (!DOCKER_HUB_HOSTS.has(host)) return undefined;
  const official = path.includes('/') ? /^library\/(.+)$/.exec(path)?.[1] : path;
  return official === undefined ? undefined : `${mirror}/docker/library/${official}`;
}

export interface MirroredDockerfile {
  text: string;
  /** `from → to` for each FROM rewritten. */
  rewritten: [string, string][];
  /** FROM images left as they are: no mirror known, or named through an ARG. */
  unchanged: string[];
}

/**
 * Rewrites the image of every FROM (and COPY --from) that is not an earlier stage, `scratch` or named
 * through an ARG.
 */
export function mirrorBaseImages(dockerfile: string, mirror: string): MirroredDockerfile {
  const lines = dockerfile.split('\n');
  const stages = new Set<string>();
  const rewritten: [string, string][] = [];
  const unchanged: string[] = [];
  for (const instruction of parseDockerfile(dockerfile).instructions) {
    const words = instruction.args.split(/\s+/).filter((word) => word !== '');
    let image: string | undefined;
    let stageName: string | undefined;
    if (instruction.keyword === 'FROM') {
      image = words.find((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      stageName = as === -1 ? undefined : words[as + 1]?.toLowerCase();
    } else if (instruction.keyword === 'COPY') {
      // COPY --from=<image> pulls that image too (a stage name or index does not).
      image = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      if (image && /^\d+$/.test(image)) image = undefined;
    }
    if (image && !stages.has(image.toLowerCase()) && image !== 'scratch') {
      const target = image.includes('$') ? undefined : mirroredImage(image, mirror);
      const source = lines[instruction.line - 1] ?? '';
      const at = source.indexOf(image);
      if (target && at !== -1) {
        lines[instruction.line - 1] = `${source.slice(0, at)}${target}${source.slice(at + image.length)}`;
        rewritten.push([image, target]);
      } else unchanged.push(image);
    }
    if (stageName) stages.add(stageName);
  }
  return { text: lines.join('\n'), rewritten, unchanged };
}
