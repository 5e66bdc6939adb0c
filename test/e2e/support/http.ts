// Loopback ports and HTTP polling for the containers the tests start (all --network host).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/**
 * A port nothing listens on, below the kernel's ephemeral range: a port from that range (what
 * listen(0) gives) can be taken, between this check and the server's listen, as the local port of any
 * outbound connection (the registry proxy's, the engine's), and the server then fails with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const ephemeralStart = Number(
    (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '32768')).split(/\s+/)[0],
  );
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * Math.max(ephemeralStart - 10_000, 1_000));
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** GET until the server answers (containers take a moment to start), then the body. */
export async function waitForBody(url: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return await response.text();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s: ${String(lastError)}`);
}
