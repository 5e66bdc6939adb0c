// A reverse proxy in front of a plain registry that records its traffic for the IAM check, as ECR
// would authorize it. As on ECR, where the authorization token says who asks, every request must
// carry Basic credentials: the build role's are recorded (registry-calls.ts maps each request to ECR
// actions on the repository ARN), the test harness's (setting up stand-in images, checking what a
// build pushed) are forwarded unrecorded, and a request with neither is refused with 401, so no
// registry call reaches the registry unattributed. Loopback only, port 0.
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RegistryRequest, recordRegistryRequest, UnmappedRegistryRequest } from './registry-calls';

/** `build`: the CodeBuild build role (recorded and checked); `harness`: the test itself (not recorded). */
export type RegistryClient = 'build' | 'harness';

export interface RegistryCredentials {
  username: RegistryClient;
  password: string;
}

export interface RecordingRegistry {
  /** `127.0.0.1:<port>`: name images with it; docker treats 127.0.0.0/8 as a plain-HTTP registry. */
  address: string;
  credentials: Record<RegistryClient, RegistryCredentials>;
  /** Build requests with no ECR mapping since the last call (each one should fail its test). */
  takeUnmapped(): string[];
  close(): Promise<void>;
}

const CHALLENGE = 'Basic realm="kiln-e2e-registry"';

function clientOf(
  header: string | undefined,
  credentials: Record<RegistryClient, RegistryCredentials>,
): RegistryClient | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString();
  return Object.values(credentials).find(({ username, password }) => decoded === `${username}:${password}`)
    ?.username;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return length === undefined ? request.headers['transfer-encoding'] !== undefined : Number(length) > 0;
}

/** Starts the proxy in front of `upstream` (`host:port` of a plain-HTTP registry). */
export async function startRecordingRegistry(upstream: string): Promise<RecordingRegistry> {
  const credentials: Record<RegistryClient, RegistryCredentials> = {
    build: { username: 'build', password: randomBytes(12).toString('hex') },
    harness: { username: 'harness', password: randomBytes(12).toString('hex') },
  };
  const unmapped: string[] = [];
  const [upstreamHost, upstreamPort] = upstream.split(':') as [string, string];

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const { authorization: _credentials, ...headers } = request.headers;
    const outgoing = httpRequest(
      { host: upstreamHost, port: Number(upstreamPort), method: request.method, path: request.url, headers },
      (answer) => {
        // The registry builds upload locations from the Host header (kept); a relative one stays as is.
        const location = answer.headers.location?.replace(`//${upstream}/`, `//${request.headers.host}/`);
        response.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          ...(location ? { location } : {}),
        });
        answer.pipe(response);
      },
    );
    outgoing.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`recording registry: upstream ${upstream}: ${error.message}`);
    });
    request.pipe(outgoing);
  };

  const server = createServer((request, response) => {
    const client = clientOf(request.headers.authorization, credentials);
    if (!client) {
      response.writeHead(401, {
        'www-authenticate': CHALLENGE,
        'docker-distribution-api-version': 'registry/2.0',
      });
      response.end();
      return;
    }
    if (client === 'build') {
      const seen: RegistryRequest = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        hasBody: hasBody(request),
      };
      try {
        recordRegistryRequest('build', seen);
      } catch (error) {
        if (!(error instanceof UnmappedRegistryRequest)) throw error;
        unmapped.push(error.message);
      }
    }
    forward(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials,
    takeUnmapped: () => unmapped.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The `authorization` header of `client` (for requests a test sends itself, e.g. with fetch). */
export function basicAuthorization({ username, password }: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
