// Fills a ZipWriter with the project's entries, in order, while the entries ahead are read and
// deflated concurrently: Node's async zlib runs on the libuv threadpool, so several entries compress
// at once on every core (deflate-pool.ts). The look-ahead is bounded in entries and bytes, so memory
// stays flat on large projects; files too big for it stream through their own deflate stream when
// their turn comes.
import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { KilnError } from '../../contract/errors';
import { openRegularFile, readRegularFile } from '../../runner/index';
import { DeflatePool } from './deflate-pool';
import { isAlreadyCompressed } from './stored-extensions';
import {
  METHOD_DEFLATED,
  METHOD_STORED,
  type ZipEntrySums,
  type ZipSink,
  type ZipWriter,
} from './zip-writer';

const DEFLATE_LEVEL = 6;
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
  /** After each entry is in the archive (progress). */
  onWritten: (entry: ArchiveEntry) => void = () => {},
): Promise<void> {
  const pool = new DeflatePool(DEFLATE_LEVEL);
  const ahead = new LookAhead(writer, onWritten, signal);
  try {
    for (const entry of entries) {
      signal?.throwIfAborted();
      const streamed = 'file' in entry && entry.size > STREAM_THRESHOLD;
      const cost = streamed ? 0 : 'file' in entry ? entry.size : entry.data.length;
      while (ahead.isFull(cost)) {
        await ahead.writeNext();
        signal?.throwIfAborted();
      }
      ahead.push(entry, cost, streamed ? null : prepare(entry, pool));
    }
    while (!ahead.isEmpty()) {
      await ahead.writeNext();
      signal?.throwIfAborted();
    }
  } finally {
    pool.close();
  }
}

/** Entries being prepared, in archive order, bounded in count and bytes. */
class LookAhead {
  private readonly queue: Array<{ entry: ArchiveEntry; cost: number; prepared: Promise<Prepared> | null }> =
    [];
  private bytes = 0;

  constructor(
    private readonly writer: ZipWriter,
    private readonly onWritten: (entry: ArchiveEntry) => void,
    private readonly signal?: AbortSignal,
  ) {}

  isEmpty(): boolean {
    return this.queue.length === 0;
  }

  isFull(nextCost: number): boolean {
    return (
      this.queue.length > 0 &&
      (this.queue.length >= LOOK_AHEAD_ENTRIES || this.bytes + nextCost > LOOK_AHEAD_BYTES)
    );
  }

  push(entry: ArchiveEntry, cost: number, prepared: Promise<Prepared> | null): void {
    // Failures surface when the entry's turn comes; until then the rejection is not "unhandled".
    prepared?.catch(() => {});
    this.queue.push({ entry, cost, prepared });
    this.bytes += cost;
  }

  async writeNext(): Promise<void> {
    const { entry, cost, prepared } = this.queue.shift()!;
    const header = { path: entry.path, mode: entry.mode, isSymlink: entry.isSymlink };
    if (prepared) {
      const { method, sums, data } = await prepared;
      await this.writer.addComplete({ ...header, method }, sums, data);
    } else {
      const method = isAlreadyCompressed(entry.path) ? METHOD_STORED : METHOD_DEFLATED;
      await this.writer.addStreamed({ ...header, method }, (write) =>
        streamFile(entry, method, write, this.signal),
      );
    }
    this.bytes -= cost;
    this.onWritten(entry);
  }
}

/**
 * The walk saw a regular file; what is read must still be one (never a link swapped in since, whose
 * target could be anything on the machine).
 */
function openProjectFile(entry: ArchiveEntry): number {
  if (!('file' in entry)) throw new Error(`${entry.path} has no file to read`);
  const opened = openRegularFile(entry.file, { followLinks: false, label: entry.path });
  if (!opened) throw disappeared(entry.path);
  return opened.fd;
}

function readProjectFile(entry: ArchiveEntry & { file: string }): Buffer {
  const read = readRegularFile(entry.file, {
    followLinks: false,
    label: entry.path,
    maxBytes: Number.POSITIVE_INFINITY,
  });
  if (read.kind !== 'file') throw disappeared(entry.path);
  return read.data;
}

function disappeared(path: string): KilnError {
  return new KilnError(
    `${path} disappeared while kiln was packing the project`,
    'Something changed the project while kiln packed it; run kiln again once it is done.',
  );
}

/**
 * Reads synchronously (small files from the page cache: far cheaper than four threadpool round trips
 * each) and leaves the threadpool to deflate.
 */
async function prepare(entry: ArchiveEntry, pool: DeflatePool): Promise<Prepared> {
  const data = 'data' in entry ? entry.data : readProjectFile(entry);
  const sums = { crc32: crc32(data), compressedSize: data.length, uncompressedSize: data.length };
  const stored = { method: METHOD_STORED, sums, data } as const;
  if (entry.isSymlink || data.length === 0 || isAlreadyCompressed(entry.path)) return stored;
  const deflated = await pool.deflate(data);
  // Like zip(1): data that does not shrink is stored.
  if (deflated.length >= data.length) return stored;
  return { method: METHOD_DEFLATED, sums: { ...sums, compressedSize: deflated.length }, data: deflated };
}

async function streamFile(
  entry: ArchiveEntry,
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED,
  write: ZipSink,
  signal?: AbortSignal,
): Promise<ZipEntrySums> {
  let crc = 0;
  let uncompressedSize = 0;
  let compressedSize = 0;
  async function* checksummed() {
    const fd = openProjectFile(entry);
    for await (const chunk of createReadStream('', { fd, highWaterMark: 1024 * 1024 })) {
      signal?.throwIfAborted();
      crc = crc32(chunk as Buffer, crc);
      uncompressedSize += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const source = Readable.from(checksummed());
  const output =
    method === METHOD_DEFLATED
      ? pipeline(source, createDeflateRaw({ level: DEFLATE_LEVEL }), () => {
          // errors reach the consumer through the destroyed deflate stream
        })
      : source;
  for await (const chunk of output) {
    compressedSize += (chunk as Buffer).length;
    await write(chunk as Buffer);
  }
  return { crc32: crc, compressedSize, uncompressedSize };
}
