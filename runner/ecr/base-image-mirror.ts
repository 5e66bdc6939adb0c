// Base images through the account's ECR pull-through caches: in CodeBuild every image a build pulls
// (each FROM, COPY --from and RUN --mount from= image, the `# syntax=` frontend, a prebuilt image and
// the BuildKit builder image) is pulled as
// `<account>.dkr.ecr.<region>.amazonaws.com/kiln-ecr-public/<ECR Public path>` (the stack's rule of ECR
// Public), so no build meets Docker Hub's per-address pull limits, which CodeBuild hosts outside a VPC
// share with other customers. Docker's official images are on ECR Public at docker/library/<name>.
// Other Docker Hub images go through the Docker Hub rule (`kiln-docker-hub/<namespace>/<repo>`) when
// the stack has one (kiln:dockerHubCredentialArn). Images with no mirror (a private registry, a
// repository named through an ARG) stay as they are.
import { type ParsedInstruction, parseDockerfile } from '../dockerfile/parse';
import { ecrRegion, registryHost } from './registry-host';

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const ECR_PUBLIC = 'public.ecr.aws';

/**
 * moby/buildkit, the image of kiln's docker-container buildx builder, is not a Docker official image;
 * ECR Public's `vend` namespace mirrors it (a community mirror: if it is ever gone, the builder fails
 * to start and kiln falls back to the engine's BuildKit).
 */
export const BUILDKIT_ECR_PUBLIC_PATH = 'vend/moby/buildkit:buildx-stable-1';

/** The pull-through caches a build may pull through, as `<registry>/<prefix>`. */
export interface ImageMirrors {
  /** The cache of ECR Public (KILN_BASE_IMAGE_MIRROR). */
  ecrPublic: string;
  /** The cache of Docker Hub, when the stack has one (KILN_DOCKER_HUB_MIRROR). */
  dockerHub?: string;
}

/**
 * `ref` as repository (with its registry) and what follows (`:tag`, `@digest`). An ARG may stand in
 * the tag or digest (`node:${NODE_VERSION}`); a repository or registry from an ARG gives undefined.
 */
function splitReference(ref: string): { repository: string; suffix: string } | undefined {
  const dollar = ref.indexOf('$');
  const literal = dollar === -1 ? ref : ref.slice(0, dollar);
  const name = literal.lastIndexOf('/') + 1;
  const separator = literal.slice(name).search(/[:@]/);
  if (separator === -1 && dollar !== -1) return undefined;
  const end = separator === -1 ? ref.length : name + separator;
  const suffix = ref.slice(end);
  // `localhost:${PORT}/app`: what looked like a tag is the registry's port.
  if (suffix.includes('/')) return undefined;
  return { repository: ref.slice(0, end), suffix };
}

function isDockerHub(repository: string): boolean {
  return DOCKER_HUB_HOSTS.has(registryHost(repository));
}

function mirroredRepository(repository: string, mirrors: ImageMirrors): string | undefined {
  const host = registryHost(repository);
  const named = host === 'docker.io' && !repository.startsWith('docker.io/');
  const path = named ? repository : repository.slice(host.length + 1);
  if (host === ECR_PUBLIC) return `${mirrors.ecrPublic}/${path}`;
  if (!DOCKER_HUB_HOSTS.has(host)) return undefined;
  const namespaced = path.includes('/') ? path : `library/${path}`;
  if (namespaced.startsWith('library/')) return `${mirrors.ecrPublic}/docker/${namespaced}`;
  return mirrors.dockerHub && `${mirrors.dockerHub}/${namespaced}`;
}

/** `ref` through its pull-through cache, or undefined when there is none for it. */
export function mirroredImage(ref: string, mirrors: ImageMirrors): string | undefined {
  const parts = splitReference(ref);
  const repository = parts && mirroredRepository(parts.repository, mirrors);
  return repository && parts && `${repository}${parts.suffix}`;
}

const ADD_DOCKER_HUB_RULE =
  'deploy the kiln stack with -c kiln:dockerHubCredentialArn=<secret ARN> to pull it through the account’s ECR (docs/infrastructure.md)';

/**
 * The one-line notice for an image pulled as named in CodeBuild: what, why, and how to change it.
 * None for an ECR registry (the account's own images): that is where the caches would lead anyway.
 */
export function unmirroredNotice(what: string, image: string): string | undefined {
  const parts = splitReference(image);
  if (parts && ecrRegion(registryHost(parts.repository)) !== undefined) return undefined;
  const why = !parts
    ? 'its registry or repository comes from an ARG, which kiln cannot follow; an ARG in the tag is fine'
    : isDockerHub(parts.repository)
      ? `ECR Public has no copy, and Docker Hub limits anonymous pulls per address: ${ADD_DOCKER_HUB_RULE}`
      : 'no pull-through cache serves its registry';
  return `notice: ${what} ${image} is pulled as named (${why})`;
}

/** The frontend image of a `# syntax=` parser directive (BuildKit pulls it before reading the file). */
export interface SyntaxFrontend {
  image: string;
  /** Its mirror path, when it has one (the directive is rewritten to it). */
  mirrored?: string;
}

/** Notice for a `# syntax=` frontend left as named. */
export function frontendNotice(image: string): string | undefined {
  const parts = splitReference(image);
  if (!parts || !isDockerHub(parts.repository)) return unmirroredNotice('Dockerfile frontend', image);
  return `notice: the Dockerfile's "# syntax=${image}" line makes BuildKit pull ${image} from Docker Hub, which limits anonymous pulls per address (CodeBuild hosts share theirs); ${ADD_DOCKER_HUB_RULE}, or remove the line if the engine's built-in Dockerfile frontend is enough`;
}

export interface MirroredDockerfile {
  text: string;
  /** `from → to` for each image rewritten. */
  rewritten: [string, string][];
  /** Images left as they are: no mirror known, or named through an ARG. */
  unchanged: string[];
  /** The `# syntax=` directive's frontend, if the file has one. */
  frontend?: SyntaxFrontend;
}

// BuildKit's parser directives: `# key=value` lines before anything else in the file.
const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.+?)[ \t\r]*$/;

/** Line index and value of the `# syntax=` directive, if any. */
function syntaxDirective(lines: string[]): { index: number; image: string } | undefined {
  for (const [index, line] of lines.entries()) {
    const match = DIRECTIVE.exec(line.trimStart());
    if (!match) return undefined;
    if (match[1]!.toLowerCase() === 'syntax') return { index, image: match[2]! };
  }
  return undefined;
}

/** An image an instruction pulls, and the pattern of what precedes it in the source. */
interface PulledImage {
  image: string;
  after: string;
}

function words(instruction: ParsedInstruction): string[] {
  return instruction.args.split(/\s+/).filter((word) => word !== '');
}

function stageName(instruction: ParsedInstruction): string | undefined {
  const list = words(instruction);
  const as = list.findIndex((word) => word.toUpperCase() === 'AS');
  return as === -1 ? undefined : list[as + 1]?.toLowerCase();
}

/**
 * The images an instruction pulls: FROM's image, COPY --from=<image> and RUN --mount=…,from=<image>
 * (type=bind or cache; a stage name or index pulls nothing).
 */
function pulledImages(instruction: ParsedInstruction, stages: Set<string>): PulledImage[] {
  const notStage = (image: string) => !stages.has(image.toLowerCase()) && !/^\d+$/.test(image);
  const list = words(instruction);
  if (instruction.keyword === 'FROM') {
    const image = list.find((word) => !word.startsWith('--'));
    return image && image !== 'scratch' && notStage(image) ? [{ image, after: '(?<=^|\\s)' }] : [];
  }
  if (instruction.keyword === 'COPY') {
    const image = list.find((word) => word.startsWith('--from='))?.slice('--from='.length);
    return image && notStage(image) ? [{ image, after: '(?<=--from=)' }] : [];
  }
  if (instruction.keyword === 'RUN') {
    return list
      .filter((word) => word.startsWith('--mount='))
      .flatMap((word) => word.slice('--mount='.length).split(','))
      .filter((field) => field.startsWith('from='))
      .map((field) => field.slice('from='.length))
      .filter(notStage)
      .map((image) => ({ image, after: '(?<=[=,]from=)' }));
  }
  return [];
}

/** Replaces the first `image` after `after` in lines [start, end); false when it is not there. */
function replaceImage(lines: string[], start: number, end: number, pulled: PulledImage, target: string) {
  const escaped = pulled.image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${pulled.after}${escaped}(?=$|[\\s,])`);
  for (let index = start; index < end; index++) {
    if (pattern.test(lines[index]!)) {
      lines[index] = lines[index]!.replace(pattern, target);
      return true;
    }
  }
  return false;
}

/**
 * Rewrites every image the Dockerfile pulls (FROM, COPY --from, RUN --mount from=, the `# syntax=`
 * frontend) that has a mirror; earlier stages, `scratch` and images with no mirror stay.
 */
export function mirrorBaseImages(dockerfile: string, mirrors: ImageMirrors): MirroredDockerfile {
  const lines = dockerfile.split('\n');
  const rewritten: [string, string][] = [];
  const unchanged: string[] = [];
  const { instructions } = parseDockerfile(dockerfile);
  // COPY --from and mounts may name any stage; FROM only an earlier one.
  const allStages = new Set(
    instructions
      .filter((instruction) => instruction.keyword === 'FROM')
      .map(stageName)
      .filter((name): name is string => name !== undefined),
  );
  const earlierStages = new Set<string>();
  for (const [n, instruction] of instructions.entries()) {
    const stages = instruction.keyword === 'FROM' ? earlierStages : allStages;
    const end = instructions[n + 1]?.line ?? lines.length + 1;
    for (const pulled of pulledImages(instruction, stages)) {
      const target = mirroredImage(pulled.image, mirrors);
      if (target && replaceImage(lines, instruction.line - 1, end - 1, pulled, target)) {
        rewritten.push([pulled.image, target]);
      } else unchanged.push(pulled.image);
    }
    const name = instruction.keyword === 'FROM' ? stageName(instruction) : undefined;
    if (name) earlierStages.add(name);
  }
  const directive = syntaxDirective(lines);
  let frontend: SyntaxFrontend | undefined;
  if (directive) {
    const mirrored = mirroredImage(directive.image, mirrors);
    frontend = { image: directive.image, ...(mirrored ? { mirrored } : {}) };
    if (mirrored) lines[directive.index] = lines[directive.index]!.replace(directive.image, mirrored);
  }
  return { text: lines.join('\n'), rewritten, unchanged, ...(frontend ? { frontend } : {}) };
}
