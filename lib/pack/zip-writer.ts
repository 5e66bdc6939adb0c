// A deterministic zip writer for entries whose data is already compressed (and checksummed) elsewhere.
// Why not yazl: it deflates one entry at a time and checksums in JavaScript; kiln deflates several
// entries at once on the threadpool (see archive-entries.ts) and needs a writer that takes the result.
// Every header field that could vary between machines is fixed: timestamp, "made by" Unix, no extra fields.
import { KilnError } from '../../contract/errors';

export const METHOD_STORED = 0;
export const METHOD_DEFLATED = 8;

const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const FLAG_UTF8 = 0x0800;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const VERSION = 20;
const VERSION_MADE_BY_UNIX = (3 << 8) | VERSION;
/** 2000-01-01 00:00:00 in MS-DOS date/time format: every entry gets the same timestamp. */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;

export interface ZipEntryHeader {
  path: string;
  /** Permission bits; the file type (regular file or symlink) is added here. */
  mode: number;
  isSymlink: boolean;
  method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
}

export interface ZipEntrySums {
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

interface CentralRecord extends ZipEntryHeader, ZipEntrySums {
  name: Buffer;
  flags: number;
  offset: number;
}

export type ZipSink = (chunk: Buffer) => Promise<void>;

export class ZipWriter {
  private offset = 0;
  private readonly records: CentralRecord[] = [];

  constructor(private readonly sink: ZipSink) {}

  /** Adds an entry whose checksum and sizes are known up front (the common case: small files). */
  async addComplete(header: ZipEntryHeader, sums: ZipEntrySums, data: Buffer): Promise<void> {
    const record = this.record(header, sums, FLAG_UTF8);
    await this.write(localHeader(record));
    await this.write(data);
  }

  /**
   * Adds an entry streamed through once (large files): the sizes and checksum follow the data in a
   * data descriptor. `produce` writes the (compressed) data through `write` and returns the sums.
   */
  async addStreamed(
    header: ZipEntryHeader,
    produce: (write: ZipSink) => Promise<ZipEntrySums>,
  ): Promise<void> {
    const record = this.record(
      header,
      { crc32: 0, compressedSize: 0, uncompressedSize: 0 },
      FLAG_UTF8 | FLAG_DATA_DESCRIPTOR,
    );
    await this.write(localHeader(record));
    const sums = await produce((chunk) => this.write(chunk));
    Object.assign(record, sums);
    checkSize(record.path, sums.uncompressedSize);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(sums.crc32, 4);
    descriptor.writeUInt32LE(sums.compressedSize, 8);
    descriptor.writeUInt32LE(sums.uncompressedSize, 12);
    await this.write(descriptor);
  }

  /** Writes the central directory; with more than 65535 entries, the zip64 end records too. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const record of this.records) await this.write(centralHeader(record));
    const size = this.offset - start;
    const count = this.records.length;
    if (count > MAX_16) {
      const zip64End = Buffer.alloc(56);
      zip64End.writeUInt32LE(0x06064b50, 0);
      zip64End.writeBigUInt64LE(44n, 4);
      zip64End.writeUInt16LE(VERSION_MADE_BY_UNIX, 12);
      zip64End.writeUInt16LE(45, 14);
      zip64End.writeBigUInt64LE(BigInt(count), 24);
      zip64End.writeBigUInt64LE(BigInt(count), 32);
      zip64End.writeBigUInt64LE(BigInt(size), 40);
      zip64End.writeBigUInt64LE(BigInt(start), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(this.offset), 8);
      locator.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([zip64End, locator]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, MAX_16), 8);
    end.writeUInt16LE(Math.min(count, MAX_16), 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
  }

  private record(header: ZipEntryHeader, sums: ZipEntrySums, flags: number): CentralRecord {
    checkSize(header.path, sums.uncompressedSize);
    const record = { ...header, ...sums, name: Buffer.from(header.path), flags, offset: this.offset };
    this.records.push(record);
    return record;
  }

  private async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.offset > MAX_32) {
      throw new KilnError(
        'the source archive would exceed 4 GiB, which kiln does not support',
        'Exclude large files from the upload with a .kilnignore file (gitignore syntax).',
      );
    }
    await this.sink(chunk);
  }
}

function checkSize(path: string, size: number): void {
  if (size >= MAX_32) {
    throw new KilnError(
      `${path} is larger than 4 GiB`,
      'Exclude it from the upload with a .kilnignore file.',
    );
  }
}

function localHeader(record: CentralRecord): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  writeSharedFields(header, 4, record);
  return Buffer.concat([header, record.name]);
}

function centralHeader(record: CentralRecord): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
  writeSharedFields(header, 6, record);
  const fileType = record.isSymlink ? S_IFLNK : S_IFREG;
  header.writeUInt32LE(((fileType | record.mode) << 16) >>> 0, 38);
  header.writeUInt32LE(record.offset, 42);
  return Buffer.concat([header, record.name]);
}

/** The run of fields both headers share, from "version needed" to "file name length". */
function writeSharedFields(header: Buffer, at: number, record: CentralRecord): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(record.flags, at + 2);
  header.writeUInt16LE(record.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(record.crc32, at + 10);
  header.writeUInt32LE(record.compressedSize, at + 14);
  header.writeUInt32LE(record.uncompressedSize, at + 18);
  header.writeUInt16LE(record.name.length, at + 22);
}
