/**
 * A bounded pool of SQLite worker threads, started lazily, leased one caller at a time. A thread holding
 * an open cursor serves nobody else (better-sqlite3 refuses other statements on a busy connection), so
 * callers beyond the pool size wait in FIFO order. A thread that dies is dropped and replaced on demand.
 *
 * Memory: the most recently freed thread is leased first, so a light load keeps using one warm thread while
 * the others stay cold, and a thread left idle for `idleMs` exits, handing its heap and page cache back.
 */
import type { SourceStats } from '../mes-source.ts'
import { SqliteSourceError, SqliteWorker } from './sqlite-worker.ts'

interface Waiter {
  readonly resolve: (worker: SqliteWorker) => void
  readonly reject: (err: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

export interface ThreadPoolOptions {
  /** SQLite file each thread opens read-only. */
  readonly path: string
  /** Maximum threads. */
  readonly size: number
  /** V8 old-space cap per thread in MB. */
  readonly heapMb: number
  /** V8 young-generation cap per thread in MB. */
  readonly youngMb: number
  /** SQLite page cache per connection in KiB. */
  readonly cacheKb: number
  /** An idle thread exits after this many milliseconds unused. */
  readonly idleMs: number
}

export class ThreadPool {
  private readonly workers = new Set<SqliteWorker>()
  /** Idle threads, the most recently freed last; each with its exit timer. */
  private readonly idle: SqliteWorker[] = []
  private readonly idleTimers = new Map<SqliteWorker, NodeJS.Timeout>()
  private readonly leased = new Set<SqliteWorker>()
  private readonly waiters: Waiter[] = []
  private closing: Promise<void> | undefined

  constructor(private readonly options: ThreadPoolOptions) {}

  /** Resolves with a thread for the caller's exclusive use; waits FIFO when all are leased. */
  acquire(signal?: AbortSignal): Promise<SqliteWorker> {
    if (this.closing !== undefined) return Promise.reject(closedError())
    if (signal?.aborted) return Promise.reject(signal.reason)
    const ready = this.takeIdle() ?? (this.workers.size < this.options.size ? this.start() : undefined)
    if (ready !== undefined) return Promise.resolve(this.lease(ready))
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(signal?.reason)
        },
      }
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** Returns a leased thread (its cursor closed) to the pool or to the next waiter. */
  release(worker: SqliteWorker): void {
    if (!this.leased.delete(worker)) return
    if (!worker.isAlive || this.closing !== undefined) return
    worker.setReferenced(false)
    this.idle.push(worker)
    const timer = setTimeout(() => this.retire(worker), this.options.idleMs)
    timer.unref()
    this.idleTimers.set(worker, timer)
    this.serveWaiters()
  }

  /** Terminates a leased thread that cannot be trusted (a cursor that would not close); a new one replaces it. */
  discard(worker: SqliteWorker): void {
    if (!this.leased.delete(worker)) return
    // Forgotten now, not on exit: a thread stuck inside one long SQLite step only exits when the step returns.
    this.forget(worker)
    void worker.terminate()
  }

  /** Terminates every thread and rejects waiters; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const w of this.waiters.splice(0)) {
        w.signal?.removeEventListener('abort', w.onAbort)
        w.reject(closedError())
      }
      for (const w of [...this.idleTimers.keys()]) this.stopIdleTimer(w)
      await Promise.allSettled([...this.workers].map((w) => w.terminate()))
    })()
    return this.closing
  }

  /** Pool snapshot. */
  stats(): SourceStats {
    let openCursors = 0
    for (const w of this.workers) if (w.openCursor !== undefined) openCursors++
    return { connections: this.workers.size, busy: this.leased.size, queued: this.waiters.length, openCursors }
  }

  private start(): SqliteWorker {
    const worker = new SqliteWorker({
      path: this.options.path,
      heapMb: this.options.heapMb,
      youngMb: this.options.youngMb,
      cacheKb: this.options.cacheKb,
      onExit: (w) => this.forget(w),
    })
    this.workers.add(worker)
    return worker
  }

  /** The most recently freed idle thread, its exit timer stopped. */
  private takeIdle(): SqliteWorker | undefined {
    const worker = this.idle.pop()
    if (worker !== undefined) this.stopIdleTimer(worker)
    return worker
  }

  private stopIdleTimer(worker: SqliteWorker): void {
    clearTimeout(this.idleTimers.get(worker))
    this.idleTimers.delete(worker)
  }

  /** Ends a thread that stayed idle for `idleMs`. */
  private retire(worker: SqliteWorker): void {
    this.forget(worker)
    void worker.terminate()
  }

  private lease(worker: SqliteWorker): SqliteWorker {
    this.leased.add(worker)
    worker.setReferenced(true)
    return worker
  }

  private forget(worker: SqliteWorker): void {
    this.workers.delete(worker)
    this.stopIdleTimer(worker)
    const i = this.idle.indexOf(worker)
    if (i >= 0) this.idle.splice(i, 1)
    if (this.closing === undefined) this.serveWaiters()
  }

  private serveWaiters(): void {
    while (this.waiters.length > 0) {
      const worker = this.takeIdle() ?? (this.workers.size < this.options.size ? this.start() : undefined)
      if (worker === undefined) return
      const waiter = this.waiters.shift() as Waiter
      waiter.signal?.removeEventListener('abort', waiter.onAbort)
      waiter.resolve(this.lease(worker))
    }
  }
}

/** The error of every call made after close. */
export function closedError(): SqliteSourceError {
  return new SqliteSourceError('MES source is closed', 'CLOSED')
}
