// The archive's destination: a file written a megabyte at a time (not one syscall per header),
// hashed on the way so the content key is ready when the last byte lands.
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

const CHUNK_BYTES = 1024 * 1024;

export class HashingFileSink {
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  size = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<HashingFileSink> {
    return new HashingFileSink(await open(path, 'w'));
  }

  readonly write = async (chunk: Buffer): Promise<void> => {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= CHUNK_BYTES) await this.flush();
  };

  /** Flushes and closes the file; returns the hex sha256 of everything written. */
  async finish(): Promise<string> {
    await this.flush();
    await this.handle.close();
    return this.hash.digest('hex');
  }

  /** Closes without flushing (the caller removes the partial file). */
  async discard(): Promise<void> {
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    const chunks = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (total === 0) return;
    // One vectored write per megabyte, without copying the chunks together first.
    let written = (await this.handle.writev(chunks)).bytesWritten;
    if (written < total) {
      const data = Buffer.concat(chunks);
      while (written < total) written += (await this.handle.write(data, written)).bytesWritten;
    }
  }
}
