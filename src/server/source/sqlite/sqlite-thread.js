// @ts-check
/**
 * Worker-thread body: one read-only better-sqlite3 connection, at most one open cursor. Every query runs here
 * so the web server's event loop never waits on SQLite.
 *
 * Plain JavaScript (checked by tsc through `@ts-check` and the JSDoc types of thread-protocol.ts, see
 * test/server/source/sqlite/sqlite-thread-types.test.ts) because a Node 20 thread cannot use the `--import tsx`
 * loader, and loading tsx inside each thread through its API cost about 23 MB per thread.
 */
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'

/** @typedef {import('./thread-protocol.ts').ThreadData} ThreadData */
/** @typedef {import('./thread-protocol.ts').ThreadRequest} ThreadRequest */
/** @typedef {import('./thread-protocol.ts').ThreadReply} ThreadReply */
/** @typedef {{ readonly id: number, readonly iterator: IterableIterator<unknown[]>, readonly fetchSize: number }} Cursor */

class Cancelled extends Error {}

const data = /** @type {ThreadData} */ (workerData)
const cancel = new Int32Array(data.cancel)
/** @type {Database.Database | undefined} */
let db
/** @type {Cursor | undefined} */
let cursor
/** Statements prepared on the current connection. */
let preparedOnConnection = 0
/**
 * better-sqlite3 finalizes a statement only when V8 collects its object, and a statement that ran a
 * 1000-id IN list holds about 0.5 MB of native memory V8 does not see; a job prepares one per batch, and
 * they wait for a major GC of this thread's heap. Closing the connection finalizes them all at once; it is
 * reopened (a few ms) after this many statements. Measured on the 500k backward MSD job (worker RSS, events
 * stage): 240-251 -> 216 MB. Caching statements by SQL text was worse: kept statements pin their memory
 * (cache of 2: events 403 MB).
 */
const REOPEN_AFTER_STATEMENTS = 32

/** @returns {Database.Database} */
function connection() {
  if (db !== undefined && preparedOnConnection >= REOPEN_AFTER_STATEMENTS && cursor === undefined) {
    db.close()
    db = undefined
    preparedOnConnection = 0
  }
  if (db === undefined) {
    db = new Database(data.path, { readonly: true, fileMustExist: true })
    db.pragma('query_only = ON')
    // better-sqlite3 raises SQLite's page cache to 16 MB per connection; batches are read once and streamed
    // on, and the OS page cache keeps the file warm for every thread without counting in this process's RSS.
    db.pragma(`cache_size = -${data.cacheKb}`)
    db.pragma('mmap_size = 0')
  }
  return db
}

function closeCursor() {
  const c = cursor
  cursor = undefined
  c?.iterator.return?.()
}

/** @param {unknown[][]} rows */
function isJsonExact(rows) {
  for (const row of rows) {
    for (const v of row) {
      if (v === null || typeof v === 'string') continue
      if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) continue
      return false
    }
  }
  return true
}

/**
 * @param {Cursor} c
 * @returns {{ rows: string | unknown[][], done: boolean }}
 */
function read(c) {
  /** @type {unknown[][]} */
  const rows = []
  let done = false
  while (rows.length < c.fetchSize) {
    // Checked per row so an abort stops a batch that filters slowly through many non-matching rows.
    if (Atomics.load(cancel, 0) === c.id) throw new Cancelled('cancelled')
    const r = c.iterator.next()
    if (r.done) {
      cursor = undefined
      done = true
      break
    }
    rows.push(r.value)
  }
  return { rows: isJsonExact(rows) ? JSON.stringify(rows) : rows, done }
}

/**
 * @param {ThreadRequest} req
 * @returns {ThreadReply}
 */
function handle(req) {
  const { seq } = req
  try {
    switch (req.op) {
      case 'open': {
        const stmt = connection().prepare(req.sql)
        preparedOnConnection += 1
        if (!stmt.reader) throw new Error('statement returns no rows')
        const columns = stmt.columns().map((c) => c.name)
        cursor = {
          id: req.cursor,
          iterator: /** @type {IterableIterator<unknown[]>} */ (stmt.raw(true).iterate(...req.params)),
          fetchSize: req.fetchSize,
        }
        return { seq, ok: true, columns, ...read(cursor) }
      }
      case 'next':
        if (cursor?.id !== req.cursor) throw new Error(`cursor ${req.cursor} is not open`)
        return { seq, ok: true, ...read(cursor) }
      case 'close':
        if (cursor?.id === req.cursor) closeCursor()
        return { seq, ok: true, rows: [], done: true }
      case 'ping':
        connection().prepare('SELECT 1').get()
        return { seq, ok: true, rows: [], done: true }
    }
  } catch (err) {
    closeCursor()
    const code = err instanceof Cancelled ? 'CANCELLED' : /** @type {{ code?: unknown }} */ (err).code
    return {
      seq,
      ok: false,
      message: /** @type {Error} */ (err).message,
      code: typeof code === 'string' ? code : undefined,
    }
  }
}

const port = parentPort
if (port === null) throw new Error('sqlite-thread.js must run in a worker thread')
port.on('message', (/** @type {ThreadRequest} */ req) => port.postMessage(handle(req)))
