import { open } from 'node:fs/promises';

export type FileChunkOptions = {
  /** Bytes handed out per chunk (64 KiB); the X12 readers batch by `X12_PIECE` of it. */
  chunkSize?: number;
  /** Bytes asked of the file per read (1 MiB); the next read is already running while a block is handed out. */
  readSize?: number;
};

/**
 * A file's bytes as chunks for the X12 readers, read into two reused buffers instead of a fresh buffer per chunk as
 * `createReadStream` does: fresh memory costs a page fault per 4 KiB, which at 200 MB was half the CPU time of
 * reading the file. The next block is read while the current one is handed out, so reading never waits on the disk
 * when the disk keeps up.
 *
 * A chunk is only valid until the next one is asked for: its bytes are overwritten after that. The X12 readers
 * (`parseX12`, `readX12Transactions`, `summarizeX12`) finish with a chunk before asking for the next and copy what
 * they keep, so they can take this source; a caller that keeps chunks must copy them.
 */
export async function* readFileChunks(file: string, options: FileChunkOptions = {}): AsyncGenerator<Buffer> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const readSize = Math.max(chunkSize, options.readSize ?? 1024 * 1024);
  const handle = await open(file, 'r');
  const blocks = [Buffer.allocUnsafeSlow(readSize), Buffer.allocUnsafeSlow(readSize)];
  let current = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(blocks[0] as Buffer, 0, readSize, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      const block = blocks[current] as Buffer;
      current ^= 1;
      // The other block's chunks were all handed out and read before this point.
      pending = handle.read(blocks[current] as Buffer, 0, readSize, null);
      for (let from = 0; from < bytesRead; from += chunkSize) yield block.subarray(from, Math.min(from + chunkSize, bytesRead));
    }
  } finally {
    // A read still running must finish before the handle closes (and its error, if any, is not the caller's).
    if (pending) await pending.catch(() => undefined);
    await handle.close();
  }
}
