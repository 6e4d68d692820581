/**
 * The SQLite MES source (better-sqlite3). Every statement runs in a pool of DB_POOL_SIZE worker threads, each
 * with its own read-only connection, so the web server's event loop never waits on a synchronous query; the
 * main thread only receives batches. Streams are pull-based with one batch of read-ahead: a thread reads the
 * next `fetchSize` rows while the consumer handles the current ones, so memory holds two batches per open stream.
 *
 * An open stream holds its thread until the stream ends, and further statements wait FIFO for a free thread.
 * Callers must therefore never nest more open streams (or `all()`/`ping()` inside an open stream) than the
 * pool size, or they wait on themselves forever.
 *
 * Values pass through unchanged: the demo schema stores timestamps as ISO 8601 TEXT (see mes-schema.ts).
 */
import { log } from '../../logger.ts'
import type { Config } from '../../config.ts'
import type { Batch, MesSource, SourceStats, StreamOptions } from '../mes-source.ts'
import type { SqlQuery } from '../sql.ts'
import { compileSqlite } from './compile-sqlite.ts'
import type { SqliteWorker, WorkerBatch, WorkerRequest } from './sqlite-worker.ts'
import { ThreadPool, closedError } from './thread-pool.ts'

export interface SqliteSourceOptions {
  /** Worker threads, one connection each; default config.DB_POOL_SIZE. */
  readonly poolSize?: number
  /**
   * V8 old-space cap per thread in MB: a batch that outgrows it kills only that thread; default 128, room for
   * 5000-row batches of rows up to about 10 KB each (their rows and their JSON text at once).
   */
  readonly threadHeapMb?: number
  /** A thread unused for this long exits, giving its memory back; default 30 000 ms. */
  readonly threadIdleMs?: number
  /**
   * After an abort, how long a cursor may take to close before its thread is terminated and replaced (a
   * single long SQLite step, such as a big sort, cannot be interrupted); default 2000 ms.
   */
  readonly cancelGraceMs?: number
}

/**
 * Young generation per thread: a thread only builds one batch at a time, and V8's default (48 MB) would sit
 * committed in every thread. Measured on the 20 K-CID bench: 8 MB with a 2 MB page cache instead of the
 * defaults takes about 20 MB off a thread at the same speed.
 */
const THREAD_YOUNG_MB = 8
/** SQLite page cache per connection (SQLite's own default size); better-sqlite3's default is 16 MB. */
const THREAD_CACHE_KB = 2000

/** The SQLite source, whose pool can always report its statistics. */
export interface SqliteSource extends MesSource {
  stats(): SourceStats
}

/** Opens nothing yet: threads and their connections start on first use. */
export function createSqliteSource(path: string, config: Config, options: SqliteSourceOptions = {}): SqliteSource {
  const pool = new ThreadPool({
    path,
    size: options.poolSize ?? config.DB_POOL_SIZE,
    heapMb: options.threadHeapMb ?? 128,
    youngMb: THREAD_YOUNG_MB,
    cacheKb: THREAD_CACHE_KB,
    idleMs: options.threadIdleMs ?? 30_000,
  })
  const cancelGraceMs = options.cancelGraceMs ?? 2000
  let lastCursor = 0

  /** Hands the thread back once its cursor is closed; after an abort, without making the caller wait. */
  async function finish(worker: SqliteWorker, cursor: number): Promise<void> {
    if (!worker.isAlive || (!worker.isWorking && worker.openCursor !== cursor)) {
      pool.release(worker)
      return
    }
    if (!worker.isWorking) {
      await worker.request({ op: 'close', cursor }).then(
        () => pool.release(worker),
        () => pool.discard(worker),
      )
      return
    }
    worker.cancel(cursor)
    const timer = setTimeout(() => {
      log.warn('sqlite cursor did not close after abort; replacing its thread', { worker: worker.id, cancelGraceMs })
      pool.discard(worker)
    }, cancelGraceMs)
    timer.unref()
    worker.request({ op: 'close', cursor }).then(
      () => {
        clearTimeout(timer)
        pool.release(worker)
      },
      () => {
        clearTimeout(timer)
        pool.discard(worker)
      },
    )
  }

  async function* stream(query: SqlQuery, options: StreamOptions = {}): AsyncGenerator<Batch, void, undefined> {
    const { signal } = options
    const fetchSize = options.fetchSize ?? config.DB_SLOW_FETCHMANY_SIZE
    const { text, params } = compileSqlite(query)
    const worker = await pool.acquire(signal)
    const cursor = ++lastCursor
    const call = (req: WorkerRequest): Promise<WorkerBatch> => {
      signal?.throwIfAborted()
      return abortable(worker.request(req), signal)
    }
    // The next batch is asked for before this one is handed over, so the thread reads while the consumer
    // encodes and stores (a job's events stage took about twice the raw scan's time with strictly one batch
    // at a time); memory holds two batches per stream instead of one.
    let ahead: Promise<WorkerBatch> | undefined
    try {
      let reply = await call({ op: 'open', cursor, sql: text, params, fetchSize })
      const columns = reply.columns ?? []
      let first = true
      for (;;) {
        ahead = reply.done ? undefined : call({ op: 'next', cursor })
        // Settled below or in `finally`; a consumer that stops early must not leave it unhandled.
        ahead?.catch(() => undefined)
        // The first batch is yielded even when empty so consumers always learn the columns.
        if (first || reply.rows.length > 0) yield { columns, rows: reply.rows }
        first = false
        if (!ahead) return
        reply = await ahead
        ahead = undefined
        // A batch read ahead may land after close: the stream fails then, as it would a moment later.
        if (closing) throw closedError()
      }
    } finally {
      // After an abort the read-ahead is cancelled with the cursor; otherwise it is one batch: let it land.
      if (ahead && !signal?.aborted) await ahead.catch(() => undefined)
      await finish(worker, cursor)
    }
  }

  let closing: Promise<void> | undefined
  const source: SqliteSource = {
    dialect: 'sqlite',
    stream,
    async all(query, options) {
      let columns: readonly string[] = []
      const rows: unknown[][] = []
      for await (const batch of source.stream(query, options)) {
        columns = batch.columns
        for (const row of batch.rows) rows.push(row)
      }
      return { columns, rows }
    },
    async ping() {
      const worker = await pool.acquire()
      try {
        await worker.request({ op: 'ping' })
      } finally {
        pool.release(worker)
      }
    },
    close() {
      closing ??= pool.close()
      return closing
    },
    stats: () => pool.stats(),
  }
  return source
}

/** Rejects as soon as the signal aborts, with its reason; the underlying request finishes unobserved. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
