// @ts-check
// The binary form of history records, shared by the encoder on the load driver's thread
// (history-encoder.ts) and the worker thread that turns it into history.jsonl
// (history-worker.mjs, which prints them with history-decoder.mjs). Plain JavaScript so the
// worker needs no TypeScript loader.
//
// A chunk is a run of records, little-endian, each starting with a one-byte kind:
//   STRING_DEF  u32 id, u32 byteLength, UTF-8 bytes   (defines an interned string for later records)
//   INVOKE      u8 flags, f64 id, u32 f, f64 worker, u32 node, f64 time, [f64 intended], [value]
//   OK/FAIL/INFO u8 flags, f64 id, u32 f, f64 worker, u32 node, f64 time, f64 latency, [u32 error], [value]
//   RAW         u32 byteLength, UTF-8 bytes            (any other event, already a JSON line)
//   STRING_RESET                                       (ids start again from 0)
// u32 names (f, node, error) are interned string ids. A value is a tree of tagged items (VALUE_*):
// numbers stay binary until the worker prints them (printing a double is most of what a JSON line
// cost the driver), strings are interned when short.

export const RECORD_STRING_DEF = 1;
export const RECORD_INVOKE = 2;
export const RECORD_OK = 3;
export const RECORD_FAIL = 4;
export const RECORD_INFO = 5;
export const RECORD_RAW = 6;

export const FLAG_INTENDED = 1;
export const FLAG_ERROR = 2;
export const FLAG_VALUE = 4;

export const VALUE_NULL = 1;
export const VALUE_TRUE = 2;
export const VALUE_FALSE = 3;
/** i32 */
export const VALUE_INT = 4;
/** f64; not finite prints null, as JSON.stringify does */
export const VALUE_DOUBLE = 5;
/** u32 interned id */
export const VALUE_STRING = 6;
/** u32 id, u32 byteLength, UTF-8: interned here, referred to by id afterwards */
export const VALUE_STRING_NEW = 7;
/** u32 byteLength, UTF-8: too long (or too many) to intern */
export const VALUE_STRING_INLINE = 8;
/** u32 count, then count items */
export const VALUE_ARRAY = 9;
/** u32 count, then count (key, item) pairs; a key is VALUE_STRING / _NEW / _INLINE */
export const VALUE_OBJECT = 10;
/** u32 byteLength, UTF-8 JSON text: what JSON.stringify made of anything else (Date, toJSON, class instances) */
export const VALUE_JSON = 11;

/** Strings up to this length are interned (names, error classes, keys, enum-like values). */
export const INTERN_MAX_LENGTH = 64;
/** Interned strings per writer: beyond this every new string is inlined, so memory stays bounded. */
export const INTERN_MAX_COUNT = 1 << 16;
/** Both sides forget every interned string (keeps the table bounded in a long run). */
export const RECORD_STRING_RESET = 7;
