// Types of history-decoder.mjs (plain JavaScript run by the history worker thread).
export declare class HistoryDecoder {
  /** The JSON lines of one chunk, each ending in a newline: a view of the decoder's own buffer, valid until the next call. */
  decode(buffer: ArrayBuffer, length: number): Buffer;
}
