// Every official image reference the generator can emit is built here, from one table, so the
// set of base images is easy to review (and to stand in for in offline end-to-end tests).
// Debian images name the bookworm variant explicitly so the FROM lines are stable over time.
import { KilnError } from '../../contract/errors';

export type PackageManager = 'apt' | 'yum' | 'dnf' | 'microdnf';

export interface BaseImage {
  /** Full reference used in FROM. */
  ref: string;
  packageManager: PackageManager;
}

export type Runtime = 'node' | 'python' | 'ruby' | 'go' | 'debian' | 'lambda-python';

interface ImageFamily {
  name: string;
  /** Tag from the runtime version (major or major.minor, already validated). */
  tag: (version: string) => string;
  packageManager: (version: string) => PackageManager;
}

/** Lambda base images before python3.12 are Amazon Linux 2 (yum); 3.12+ are AL2023 (microdnf only). */
function lambdaPackageManager(version: string): PackageManager {
  const [, minor] = version.split('.').map(Number);
  return (minor ?? 0) >= 12 ? 'microdnf' : 'yum';
}

/** Python 3.6 and 3.7 reached their end of life before Debian bookworm: their last images are bullseye. */
function pythonTag(version: string): string {
  const [, minor] = version.split('.').map(Number);
  return `${version}-slim-${(minor ?? 0) < 8 ? 'bullseye' : 'bookworm'}`;
}

const FAMILIES: Record<Runtime, ImageFamily> = {
  node: { name: 'node', tag: (v) => `${v}-bookworm-slim`, packageManager: () => 'apt' },
  python: { name: 'python', tag: pythonTag, packageManager: () => 'apt' },
  ruby: { name: 'ruby', tag: (v) => `${v}-slim-bookworm`, packageManager: () => 'apt' },
  go: { name: 'golang', tag: (v) => `${v}-bookworm`, packageManager: () => 'apt' },
  debian: { name: 'debian', tag: () => 'bookworm-slim', packageManager: () => 'apt' },
  'lambda-python': {
    name: 'public.ecr.aws/lambda/python',
    tag: (v) => v,
    packageManager: lambdaPackageManager,
  },
};

/** The Lambda Web Adapter extension, copied into web-app images built with `lambda: true`. */
export const LAMBDA_WEB_ADAPTER_IMAGE = 'public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1';

export function officialImage(runtime: Runtime, version = ''): BaseImage {
  const family = FAMILIES[runtime];
  return { ref: `${family.name}:${family.tag(version)}`, packageManager: family.packageManager(version) };
}

/** `dockerfile.baseImage` as written in the config: a full reference, or parts replacing the detected ones. */
export type BaseImageOverride = string | { name?: string; tag?: string; variant?: string };

/**
 * Applies `dockerfile.baseImage` to the detected image. Parts: `name` replaces the repository,
 * `tag` the version part, `variant` the suffix after the version (`slim-bookworm`, `alpine`).
 * The package manager follows the new image: Amazon Linux names use yum/microdnf, others apt.
 */
export function overrideBaseImage(detected: BaseImage, override: BaseImageOverride | undefined): BaseImage {
  if (override === undefined) return detected;
  const ref = typeof override === 'string' ? override : replaceParts(detected.ref, override);
  if (!/^[a-z0-9][\w./:@-]*$/i.test(ref)) {
    throw new KilnError(
      `dockerfile.baseImage "${ref}" is not a valid image reference`,
      'Use a full reference such as "node:24-bookworm-slim", or { "tag": "22" }.',
    );
  }
  return { ref, packageManager: guessPackageManager(ref, detected.packageManager) };
}

function replaceParts(ref: string, parts: { name?: string; tag?: string; variant?: string }): string {
  const colon = ref.lastIndexOf(':');
  const name = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  const dash = tag.indexOf('-');
  const version = dash === -1 ? tag : tag.slice(0, dash);
  const variant = dash === -1 ? '' : tag.slice(dash + 1);
  const newVariant = parts.variant ?? variant;
  return `${parts.name ?? name}:${parts.tag ?? version}${newVariant ? `-${newVariant}` : ''}`;
}

function guessPackageManager(ref: string, detected: PackageManager): PackageManager {
  if (/alpine/.test(ref)) {
    throw new KilnError(
      `dockerfile.baseImage "${ref}" is an Alpine image; kiln generates apt or yum/dnf package steps only`,
      'Choose a Debian-based (slim) or Amazon Linux image, or bring your own Dockerfile (dockerfile.custom).',
    );
  }
  if (/amazonlinux|public\.ecr\.aws\/lambda/.test(ref)) return detected === 'apt' ? 'dnf' : detected;
  return 'apt';
}
