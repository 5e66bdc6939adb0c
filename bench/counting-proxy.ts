// A loopback HTTP proxy in front of the S3 server that counts requests by S3 operation and the request
// body bytes that reach it: what an upload really puts on the wire, whatever the SDK does internally.
import { createServer, request as forward, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrafficCount {
  requests: Record<string, number>;
  bodyBytes: number;
}

/** Names the S3 operation of a path-style request from its method and query. */
function operationOf(request: IncomingMessage): string {
  const query = new URL(request.url ?? '/', 'http://proxy').searchParams;
  switch (request.method) {
    case 'PUT':
      return query.has('partNumber') ? 'UploadPart' : 'PUT';
    case 'POST':
      return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
    case 'DELETE':
      return query.has('uploadId') ? 'AbortMultipartUpload' : 'DELETE';
    default:
      return request.method ?? 'unknown';
  }
}

export async function startCountingProxy(target: string) {
  const targetUrl = new URL(target);
  let count: TrafficCount = { requests: {}, bodyBytes: 0 };
  const server = createServer((incoming, outgoing) => {
    const operation = operationOf(incoming);
    count.requests[operation] = (count.requests[operation] ?? 0) + 1;
    incoming.on('data', (chunk: Buffer) => {
      count.bodyBytes += chunk.length;
    });
    const upstream = forward(
      {
        hostname: targetUrl.hostname,
        port: targetUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Returns the traffic since the previous call and starts counting afresh. */
    takeCount(): TrafficCount {
      const taken = count;
      count = { requests: {}, bodyBytes: 0 };
      return taken;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
