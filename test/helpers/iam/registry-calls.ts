// Docker registry API requests (OCI distribution spec) as ECR authorizes them: on ECR every request
// to `/v2/<repository>/…` is checked as one or more `ecr:` actions on that repository's ARN. The e2e
// registry stands in for the account's ECR, so its traffic is recorded through this mapping and
// checked like every SDK call (recording-registry.ts). Sources (AWS docs, ECR user guide and API
// reference):
// - image-push-iam.html: a push needs ecr:BatchCheckLayerAvailability, InitiateLayerUpload,
//   UploadLayerPart, CompleteLayerUpload, PutImage (and BatchGetImage) on the repository.
// - API BatchCheckLayerAvailability: "when an image is pushed … each image layer is checked";
//   InitiateLayerUpload: "called once per image layer that has not already been uploaded";
//   PutImage: called once the layers are uploaded, "to create or update the image manifest";
//   GetDownloadUrlForLayer: "when an image is pulled … called once per image layer"; BatchGetImage:
//   the manifests.
// - pull-through-cache-iam.html: pulling through a pull-through cache rule also needs
//   ecr:BatchImportUpstreamImage ("retrieve the external image and import it") and
//   ecr:CreateRepository ("if the repository storing the cached images doesn't already exist").
// - blob-mounting.html: a cross-repository mount (POST …/blobs/uploads/?mount=&from=) needs
//   ecr:GetDownloadUrlForLayer on the repository the layer is mounted from.
import { PULL_THROUGH_PREFIX } from '../../../contract/infra-names';
import { type Principal, recordAwsCall } from './recorded-calls';

/** One ECR API operation a registry request is authorized as (IAM action `ecr:<operation>`). */
export interface RegistryCall {
  operation: string;
  repositoryName: string;
}

/** What the mapping needs of a request: method, path with query, whether it carries a body. */
export interface RegistryRequest {
  method: string;
  url: string;
  hasBody: boolean;
}

/** A request no mapping covers: recorded as such so the test fails instead of passing unchecked. */
export class UnmappedRegistryRequest extends Error {
  constructor(request: RegistryRequest) {
    super(
      `registry request ${request.method} ${request.url} has no ECR mapping; add one in test/helpers/iam/registry-calls.ts`,
    );
  }
}

/** On a first pull (or a refresh of a cached tag) through the cache, ECR creates and imports. */
const PULL_THROUGH_IMPORT = ['BatchImportUpstreamImage', 'CreateRepository'];

function isPullThrough(repository: string): boolean {
  return repository.startsWith(`${PULL_THROUGH_PREFIX}/`);
}

/** The ECR operations `request` is authorized as; the registry's ping (`/v2/`) needs none. */
export function registryCalls(request: RegistryRequest): RegistryCall[] {
  const { pathname, searchParams } = new URL(request.url, 'http://registry');
  const method = request.method.toUpperCase();
  const on = (repositoryName: string, ...operations: string[]) =>
    operations.map((operation) => ({ operation, repositoryName }));
  if (pathname === '/v2/' || pathname === '/v2') return [];

  const manifest = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(pathname);
  if (manifest) {
    const repository = manifest[1]!;
    if (method === 'GET' || method === 'HEAD') {
      return on(repository, 'BatchGetImage', ...(isPullThrough(repository) ? PULL_THROUGH_IMPORT : []));
    }
    if (method === 'PUT') return on(repository, 'PutImage');
    if (method === 'DELETE') return on(repository, 'BatchDeleteImage');
  }

  const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(pathname);
  if (upload) {
    const [, repository, session] = upload as unknown as [string, string, string];
    if (method === 'POST' && session === '') {
      const from = searchParams.get('from');
      const monolithic = searchParams.has('digest');
      return [
        ...on(repository, 'InitiateLayerUpload'),
        ...(from && searchParams.has('mount') ? on(from, 'GetDownloadUrlForLayer') : []),
        ...(monolithic ? on(repository, 'UploadLayerPart', 'CompleteLayerUpload') : []),
      ];
    }
    if (method === 'PATCH' && session !== '') return on(repository, 'UploadLayerPart');
    if (method === 'PUT' && session !== '') {
      return on(repository, ...(request.hasBody ? ['UploadLayerPart'] : []), 'CompleteLayerUpload');
    }
  }

  const blob = /^\/v2\/(.+)\/blobs\/[^/]+$/.exec(pathname);
  if (blob) {
    if (method === 'GET') return on(blob[1]!, 'GetDownloadUrlForLayer');
    if (method === 'HEAD') return on(blob[1]!, 'BatchCheckLayerAvailability');
  }

  const tags = /^\/v2\/(.+)\/tags\/list$/.exec(pathname);
  if (tags && method === 'GET') return on(tags[1]!, 'ListImages');

  throw new UnmappedRegistryRequest(request);
}

/** Records `request`, made with `principal`'s credentials, for the IAM check (check-calls.ts). */
export function recordRegistryRequest(principal: Principal, request: RegistryRequest): void {
  for (const { operation, repositoryName } of registryCalls(request)) {
    recordAwsCall(principal, 'ecr', operation, { repositoryName });
  }
}
