import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isSpace, timeOf } from './line-time.ts';

// Load threads each write their own time-ordered history file; after the run they are merged, with
// the main thread's history.jsonl, into one history.jsonl ordered by time, so readers and checkers
// see what a single-thread run writes. Streaming, bounded memory: two read buffers per source (one
// is read into while the other's lines are merged) and two write buffers, whatever the files'
// sizes. Lines are split on the byte 0x0A only (never inside a UTF-8 character) and copied as
// bytes; only their top-level "time" is read, without JSON.parse (line-time.ts). Sources are few (one per load
// thread), so the next line comes from a linear scan of the heads rather than a heap: the scan
// also gives the runner-up, and the winner's lines go out with no further scan until it passes
// the runner-up, adjacent lines in one copy. All buffers share one ArrayBuffer, so a copy is one
// copyWithin (Buffer.copy allocates a view per call: measured 2.7x slower on 150-byte lines).

/** Per source and buffer: a chunk read at a time, after head room for the previous chunk's partial last line. */
const CHUNK_BYTES = 1 << 20;
const HEAD_BYTES = 64 * 1024;
const WRITE_BYTES = 4 << 20;
const NEWLINE = Buffer.from('\n');

export class HistoryMergeError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`history merge: ${path}:${line}: ${reason}`);
    this.name = 'HistoryMergeError';
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

class Source {
  view: Buffer;
  /** Where buf starts in the shared ArrayBuffer (-1: a buffer of its own). */
  base: number;
  reading: Promise<number> | undefined;
  next = 0;
  eof = false;
  lineNumber = 0;
  /** The current line: buf[start, stop), its newline (when terminated) at stop. */
  start = 0;
  stop = 0;
  terminated = true;
  time = 0;

  constructor(
    readonly path: string,
    readonly index: number,
    readonly file: FileHandle,
    private readonly arena: ArrayBuffer,
    public buf: Buffer,
    private spare: Buffer,
  ) {
    this.view = buf.subarray(0, 0);
    this.base = buf.byteOffset;
  }

  /** To the next non-blank line in the buffer; false when none is whole there (refill, or the end). */
  step(): boolean {
    for (;;) {
      const end = this.view.length;
      let newline = this.view.indexOf(0x0a, this.next);
      if (newline < 0) {
        if (!this.eof || this.next >= end) return false;
        newline = end; // a last line without its newline
      }
      const start = this.next;
      this.lineNumber++;
      this.next = newline + 1;
      if (start === newline || isSpace(this.buf[start])) {
        let i = start;
        while (i < newline && isSpace(this.buf[i])) i++;
        if (i === newline) continue; // blank: no event (the reader skips these too)
      }
      this.start = start;
      this.stop = newline;
      this.terminated = newline < end;
      if (!this.terminated && !isJson(this.buf.toString('utf8', start, newline))) {
        throw new HistoryMergeError(this.path, this.lineNumber, 'truncated last line (no newline, not a whole event)');
      }
      this.time = timeOf(this.buf, start, newline);
      if (Number.isNaN(this.time)) throw new HistoryMergeError(this.path, this.lineNumber, 'no numeric "time" field');
      return true;
    }
  }

  /** The next chunk, after the partial line left in buf; the lines before it must be copied out already. */
  async refill(): Promise<void> {
    const read = await (this.reading ?? this.read());
    const rest = this.view.length - this.next;
    if (rest <= HEAD_BYTES) {
      this.buf.copy(this.spare, HEAD_BYTES - rest, this.next, this.view.length);
      [this.buf, this.spare] = [this.spare, this.buf.length === CHUNK_BYTES ? this.buf : Buffer.allocUnsafe(CHUNK_BYTES)];
      this.next = HEAD_BYTES - rest;
    } else {
      // A line longer than the head room: a buffer of its own, for once.
      this.buf = Buffer.concat([this.buf.subarray(this.next, this.view.length), this.spare.subarray(HEAD_BYTES, HEAD_BYTES + read)]);
      this.next = 0;
    }
    this.view = this.buf.subarray(0, this.next + rest + read);
    // Read once per chunk: the buffer and byteOffset getters cost more than the copy of a line.
    this.base = this.buf.buffer === this.arena ? this.buf.byteOffset : -1;
    this.eof = read === 0;
    this.reading = this.eof ? undefined : this.read();
  }

  private read(): Promise<number> {
    const reading = this.file.read(this.spare, HEAD_BYTES, CHUNK_BYTES - HEAD_BYTES, null).then((r) => r.bytesRead);
    reading.catch(() => {}); // awaited by the next refill; a merge failing before must not crash on it
    return reading;
  }
}

/** Merges `sources` (each ordered by time) into `target` by time; equal times keep source order, then file order. */
export async function mergeHistories(target: string, sources: readonly string[]): Promise<{ readonly events: number }> {
  const arena = new ArrayBuffer(sources.length * 2 * CHUNK_BYTES + 2 * WRITE_BYTES);
  const slice = (n: number) => Buffer.from(arena, n * CHUNK_BYTES, CHUNK_BYTES);
  const temporary = join(dirname(target), `.${basename(target)}.merging-${randomBytes(6).toString('hex')}`);
  const opened: Source[] = [];
  let out: FileHandle | undefined;
  try {
    for (const [index, path] of sources.entries()) {
      const file = await open(path, 'r').catch((error: Error) => {
        throw new Error(`history merge: cannot read source ${path}: ${error.message}`, { cause: error });
      });
      opened.push(new Source(path, index, file, arena, slice(2 * index), slice(2 * index + 1)));
    }
    out = await open(temporary, 'wx');
    const writes = 2 * sources.length * CHUNK_BYTES;
    const events = await merge(opened, out, arena, writes);
    await out.close();
    out = undefined;
    await rename(temporary, target);
    return { events };
  } catch (error) {
    await out?.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  } finally {
    await Promise.all(opened.map((s) => s.file.close().catch(() => {})));
  }
}

/** `writes`: where the two write buffers start in `arena` (one is written while the other fills). */
async function merge(sources: readonly Source[], file: FileHandle, arena: ArrayBuffer, writes: number): Promise<number> {
  const bytes = new Uint8Array(arena);
  let out = Buffer.from(arena, writes, WRITE_BYTES);
  let other = Buffer.from(arena, writes + WRITE_BYTES, WRITE_BYTES);
  let outBase = writes;
  let otherBase = writes + WRITE_BYTES;
  let o = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = async (buf: Buffer, start: number, end: number) => {
    for (let at = start; at < end; ) at += (await file.write(buf, at, end - at)).bytesWritten;
  };
  const drain = async () => {
    await writing;
    writing = write(out, 0, o);
    writing.catch(() => {}); // awaited by the next drain
    [out, other, outBase, otherBase] = [other, out, otherBase, outBase];
    o = 0;
  };
  /** Synchronous when the bytes fit the write buffer (no promise per line); false: call spill(). */
  const copy = (buf: Buffer, base: number, start: number, end: number): boolean => {
    if (end - start > out.length - o) return false;
    if (base >= 0) bytes.copyWithin(outBase + o, base + start, base + end);
    else buf.copy(out, o, start, end);
    o += end - start;
    return true;
  };
  const spill = async (buf: Buffer, base: number, start: number, end: number) => {
    await drain();
    if (!copy(buf, base, start, end)) await writing.then(() => write(buf, start, end));
  };
  const advance = async (s: Source): Promise<boolean> => {
    while (!s.step()) {
      if (s.eof) return false;
      await s.refill();
    }
    return true;
  };
  const live: Source[] = [];
  for (const s of sources) if (await advance(s)) live.push(s);
  let events = 0;
  while (live.length > 0) {
    let best = live[0]!;
    let next: Source | undefined;
    // live stays in source order: a strict < keeps the earlier source first on equal times.
    for (let i = 1; i < live.length; i++) {
      const s = live[i]!;
      if (s.time < best.time) [next, best] = [best, s];
      else if (next === undefined || s.time < next.time) next = s;
    }
    let runStart = best.start;
    let runEnd = best.start;
    for (;;) {
      events++;
      if (best.start !== runEnd) {
        if (!copy(best.buf, best.base, runStart, runEnd)) await spill(best.buf, best.base, runStart, runEnd);
        runStart = best.start;
      }
      runEnd = best.terminated ? best.stop + 1 : best.stop;
      if (!best.step()) {
        // A refill reuses the buffer: the run goes out first.
        if (!copy(best.buf, best.base, runStart, runEnd)) await spill(best.buf, best.base, runStart, runEnd);
        if (!best.terminated && !copy(NEWLINE, -1, 0, 1)) await spill(NEWLINE, -1, 0, 1);
        if (!(await advance(best))) {
          live.splice(live.indexOf(best), 1);
          runStart = runEnd;
          break;
        }
        runStart = runEnd = best.start;
      }
      if (next !== undefined && (best.time > next.time || (best.time === next.time && best.index > next.index))) break;
    }
    if (runEnd > runStart && !copy(best.buf, best.base, runStart, runEnd)) await spill(best.buf, best.base, runStart, runEnd);
  }
  await drain();
  await writing;
  return events;
}
