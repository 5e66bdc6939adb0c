// Fills a ZipWriter with the project's entries, in order, while the entries ahead are read and
// deflated concurrently: Node's async zlib runs on the libuv threadpool, so several entries compress
// at once on every core. The look-ahead is bounded in bytes, so memory stays flat on large projects;
// files too big for the look-ahead are streamed through one deflate stream when their turn comes.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createDeflateRaw, deflateRaw } from 'node:zlib';
import { createLimiter } from './limit';
import { isAlreadyCompressed } from './stored-extensions';
import {
  METHOD_DEFLATED,
  METHOD_STORED,
  type ZipEntrySums,
  type ZipSink,
  type ZipWriter,
} from './zip-writer';

const deflateRawAsync = promisify(deflateRaw);
const DEFLATE_OPTIONS = { level: 6 };
/** Files above this size are streamed rather than read whole. */
const STREAM_THRESHOLD = 8 * 1024 * 1024;
const LOOK_AHEAD_BYTES = 64 * 1024 * 1024;
const LOOK_AHEAD_ENTRIES = 512;

export type ArchiveEntry = {
  path: string;
  mode: number;
  isSymlink: boolean;
} & ({ data: Buffer } | { file: string; size: number });

interface Prepared {
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
  sums: ZipEntrySums;
  data: Buffer;
}

export async function writeEntries(
  writer: ZipWriter,
  entries: ArchiveEntry[],
  signal?: AbortSignal,
): Promise<void> {
  const limitRead = createLimiter(16);
  const limitDeflate = createLimiter(Math.max(2, availableParallelism()));
  const queue: Array<{ entry: ArchiveEntry; cost: number; prepared: Promise<Prepared> | null }> = [];
  let aheadBytes = 0;

  const writeHead = async () => {
    const { entry, cost, prepared } = queue.shift()!;
    const header = { path: entry.path, mode: entry.mode, isSymlink: entry.isSymlink };
    if (prepared) {
      const { method, sums, data } = await prepared;
      await writer.addComplete({ ...header, method }, sums, data);
    } else {
      const method = isAlreadyCompressed(entry.path) ? METHOD_STORED : METHOD_DEFLATED;
      await writer.addStreamed({ ...header, method }, (write) => streamFile(fileOf(entry), method, write));
    }
    aheadBytes -= cost;
  };

  for (const entry of entries) {
    signal?.throwIfAborted();
    const streamed = 'file' in entry && entry.size > STREAM_THRESHOLD;
    const cost = 'file' in entry ? entry.size : entry.data.length;
    while (queue.length > 0 && (queue.length >= LOOK_AHEAD_ENTRIES || aheadBytes + cost > LOOK_AHEAD_BYTES)) {
      await writeHead();
      signal?.throwIfAborted();
    }
    const prepared = streamed ? null : prepare(entry, limitRead, limitDeflate);
    // Failures surface when the entry's turn comes; until then the rejection is not "unhandled".
    prepared?.catch(() => {});
    queue.push({ entry, cost: streamed ? 0 : cost, prepared });
    aheadBytes += cost;
  }
  while (queue.length > 0) {
    await writeHead();
    signal?.throwIfAborted();
  }
}

function fileOf(entry: ArchiveEntry): string {
  if (!('file' in entry)) throw new Error(`${entry.path} has no file to stream`);
  return entry.file;
}

async function prepare(
  entry: ArchiveEntry,
  limitRead: ReturnType<typeof createLimiter>,
  limitDeflate: ReturnType<typeof createLimiter>,
): Promise<Prepared> {
  const data = 'data' in entry ? entry.data : await limitRead(() => readFile(entry.file));
  const sums = { crc32: crc32(data), compressedSize: data.length, uncompressedSize: data.length };
  const stored = { method: METHOD_STORED, sums, data } as const;
  if (entry.isSymlink || data.length === 0 || isAlreadyCompressed(entry.path)) return stored;
  const deflated = await limitDeflate(() => deflateRawAsync(data, DEFLATE_OPTIONS));
  // Like zip(1): data that does not shrink is stored.
  if (deflated.length >= data.length) return stored;
  return { method: METHOD_DEFLATED, sums: { ...sums, compressedSize: deflated.length }, data: deflated };
}

async function streamFile(
  path: string,
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED,
  write: ZipSink,
): Promise<ZipEntrySums> {
  let crc = 0;
  let uncompressedSize = 0;
  let compressedSize = 0;
  async function* checksummed() {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      crc = crc32(chunk as Buffer, crc);
      uncompressedSize += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const source = Readable.from(checksummed());
  const output =
    method === METHOD_DEFLATED
      ? pipeline(source, createDeflateRaw(DEFLATE_OPTIONS), () => {
          // errors reach the consumer through the destroyed deflate stream
        })
      : source;
  for await (const chunk of output) {
    compressedSize += (chunk as Buffer).length;
    await write(chunk as Buffer);
  }
  return { crc32: crc, compressedSize, uncompressedSize };
}
