// What a CodeBuild build's docker sends to the account's registry, request by request, as docker
// 20.10 sent it to the e2e registry (seen through test/helpers/iam/recording-registry.ts; the ping,
// answered with the credentials challenge, is not among them): a push of a new image, a pull (also
// through the pull-through cache), and a push that mounts a base layer from another repository.
// The IAM check's tests replay them.
import { PULL_THROUGH_PREFIX } from '../../../contract/infra-names';
import type { RegistryRequest } from './registry-calls';

const LAYER = `sha256:${'1'.repeat(64)}`;
const CONFIG = `sha256:${'2'.repeat(64)}`;
const MANIFEST = `sha256:${'3'.repeat(64)}`;
const UPLOAD = '6f1e3c1a-1d0b-4a8e-9b7e-2c1f0e9d8a7b';

export const MIRROR_REPOSITORY = `${PULL_THROUGH_PREFIX}/docker/library/node`;

const request = (method: string, url: string, hasBody = false): RegistryRequest => ({ method, url, hasBody });

/** One blob uploaded in chunks: existence check, start, one chunk, completion. */
function upload(repository: string, digest: string): RegistryRequest[] {
  return [
    request('HEAD', `/v2/${repository}/blobs/${digest}`),
    request('POST', `/v2/${repository}/blobs/uploads/`),
    request('PATCH', `/v2/${repository}/blobs/uploads/${UPLOAD}?_state=abc`, true),
    request('PUT', `/v2/${repository}/blobs/uploads/${UPLOAD}?_state=def&digest=${digest}`),
  ];
}

export function pushSession(repository: string, tag: string): RegistryRequest[] {
  return [
    ...upload(repository, LAYER),
    ...upload(repository, CONFIG),
    request('PUT', `/v2/${repository}/manifests/${tag}`, true),
  ];
}

export function pullSession(repository: string, tag: string): RegistryRequest[] {
  return [
    request('HEAD', `/v2/${repository}/manifests/${tag}`),
    request('GET', `/v2/${repository}/manifests/${MANIFEST}`),
    request('GET', `/v2/${repository}/blobs/${CONFIG}`),
    request('GET', `/v2/${repository}/blobs/${LAYER}`),
  ];
}

/** A push to `repository` of an image built on a base pulled from `from`: the base layer is mounted. */
export function mountingPushSession(repository: string, from: string): RegistryRequest[] {
  return [
    request('HEAD', `/v2/${repository}/blobs/${LAYER}`),
    request('POST', `/v2/${repository}/blobs/uploads/?from=${from}&mount=${encodeURIComponent(LAYER)}`),
    ...upload(repository, CONFIG),
    request('PUT', `/v2/${repository}/manifests/latest`, true),
  ];
}
