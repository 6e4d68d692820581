/**
 * Messages between the SQLite source (main thread) and its worker threads. A thread serves one request at a
 * time, in arrival order, and answers each with the same `seq`.
 */
import type { SqlValue } from '../sql.ts'

/** What the main thread hands every worker thread at start. */
export interface ThreadData {
  /** SQLite file, opened read-only on the thread's first request. */
  readonly path: string
  /** Int32Array[1] over a SharedArrayBuffer: the cursor id the main thread wants stopped. */
  readonly cancel: SharedArrayBuffer
  /** SQLite page cache of the connection in KiB (`PRAGMA cache_size = -cacheKb`). */
  readonly cacheKb: number
}

export type ThreadRequest =
  /** Prepares and starts a statement, and answers with its columns and first batch. */
  | {
      readonly op: 'open'
      readonly seq: number
      readonly cursor: number
      readonly sql: string
      readonly params: SqlValue[]
      readonly fetchSize: number
    }
  /** Reads the next batch of the open cursor. */
  | { readonly op: 'next'; readonly seq: number; readonly cursor: number }
  /** Closes the cursor if still open; a no-op for a cursor that is already closed. */
  | { readonly op: 'close'; readonly seq: number; readonly cursor: number }
  | { readonly op: 'ping'; readonly seq: number }

/**
 * `done` means the thread's cursor is closed (exhausted, cancelled or never opened). `rows` is JSON text when
 * every value survives JSON exactly (strings, nulls, finite numbers): the main thread parses that about three
 * times faster than it deserialises a structured clone, and that time is spent on the event loop. Other
 * batches (BLOBs, infinities) come as arrays.
 */
export type ThreadReply =
  | {
      readonly seq: number
      readonly ok: true
      readonly columns?: string[]
      readonly rows: string | unknown[][]
      readonly done: boolean
    }
  | { readonly seq: number; readonly ok: false; readonly message: string; readonly code?: string }
