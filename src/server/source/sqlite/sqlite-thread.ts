/**
 * Worker-thread body: one read-only better-sqlite3 connection, at most one open cursor. Every query runs here
 * so the web server's event loop never waits on SQLite. Loaded through sqlite-thread-entry.mjs.
 */
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import type { ThreadData, ThreadReply, ThreadRequest } from './thread-protocol.ts'

interface Cursor {
  readonly id: number
  readonly iterator: IterableIterator<unknown[]>
  readonly fetchSize: number
}

class Cancelled extends Error {}

const data = workerData as ThreadData
const cancel = new Int32Array(data.cancel)
let db: Database.Database | undefined
let cursor: Cursor | undefined

function connection(): Database.Database {
  if (db === undefined) {
    db = new Database(data.path, { readonly: true, fileMustExist: true })
    db.pragma('query_only = ON')
  }
  return db
}

function closeCursor(): void {
  const c = cursor
  cursor = undefined
  c?.iterator.return?.()
}

function isJsonExact(rows: unknown[][]): boolean {
  for (const row of rows) {
    for (const v of row) {
      if (v === null || typeof v === 'string') continue
      if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) continue
      return false
    }
  }
  return true
}

function read(c: Cursor): { rows: string | unknown[][]; done: boolean } {
  const rows: unknown[][] = []
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

function handle(req: ThreadRequest): ThreadReply {
  const { seq } = req
  try {
    switch (req.op) {
      case 'open': {
        const stmt = connection().prepare(req.sql)
        if (!stmt.reader) throw new Error('statement returns no rows')
        const columns = stmt.columns().map((c) => c.name)
        cursor = {
          id: req.cursor,
          iterator: stmt.raw(true).iterate(...req.params) as IterableIterator<unknown[]>,
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
    const code = err instanceof Cancelled ? 'CANCELLED' : (err as { code?: unknown }).code
    return { seq, ok: false, message: (err as Error).message, code: typeof code === 'string' ? code : undefined }
  }
}

const port = parentPort
if (port === null) throw new Error('sqlite-thread.ts must run in a worker thread')
port.on('message', (req: ThreadRequest) => port.postMessage(handle(req)))
