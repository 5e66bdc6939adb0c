// Manifests of one repository through the registry's HTTP API (OCI distribution spec): read one by
// tag or digest, put one under a tag. ECR takes its authorization token as Basic credentials; a
// plain registry (the e2e's local one) takes none. No docker involved, so the image index can be
// published by whoever holds the registry credentials: a CodeBuild build, or a test.
import { createHash } from 'node:crypto';
import { MANIFEST_TYPES } from '../../contract/multi-arch';
import type { RegistryCredentials } from '../ecr/registry-login';

export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
  body: string;
}

/** What publishing an image index needs of a registry (an HTTP one here, ECR's API on the laptop). */
export interface ManifestStore {
  get(reference: string): Promise<StoredManifest | undefined>;
  /** Stores `body` under `tag`; resolves to its digest. */
  put(tag: string, body: string, mediaType: string): Promise<string>;
}

const TIMEOUT_MS = 30_000;

export function manifestDigest(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Loopback registries speak plain HTTP (as docker assumes for 127.0.0.0/8); every other one HTTPS. */
function baseUrl(host: string): string {
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/** `repositoryUri` is `host[:port]/repository` (no tag). */
export function httpManifestStore(
  repositoryUri: string,
  credentials?: RegistryCredentials,
  fetchImpl: typeof fetch = fetch,
): ManifestStore {
  const slash = repositoryUri.indexOf('/');
  const host = repositoryUri.slice(0, slash);
  const repository = repositoryUri.slice(slash + 1);
  const authorization: Record<string, string> = credentials
    ? {
        authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
      }
    : {};
  const url = (reference: string) =>
    `${baseUrl(host)}/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
  const failure = async (what: string, response: Response) =>
    new Error(
      `${what}: registry ${host} answered ${response.status} ${(await response.text()).slice(0, 300)}`,
    );

  return {
    async get(reference) {
      const response = await fetchImpl(url(reference), {
        headers: { accept: MANIFEST_TYPES.join(', '), ...authorization },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (response.status === 404) return undefined;
      if (!response.ok) throw await failure(`reading ${repository}:${reference}`, response);
      const body = await response.text();
      const mediaType =
        response.headers.get('content-type')?.split(';')[0]?.trim() ||
        ((JSON.parse(body) as { mediaType?: string }).mediaType ?? MANIFEST_TYPES[1]!);
      return { digest: manifestDigest(body), mediaType, size: Buffer.byteLength(body), body };
    },
    async put(tag, body, mediaType) {
      const response = await fetchImpl(url(tag), {
        method: 'PUT',
        headers: { 'content-type': mediaType, ...authorization },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw await failure(`putting ${repository}:${tag}`, response);
      return manifestDigest(body);
    },
  };
}
