/** The main-thread handle on one SQLite worker thread: request/reply by `seq`, cancel flag, exit detection. */
import { Worker } from 'node:worker_threads'
import { log } from '../../logger.ts'
import type { ThreadData, ThreadReply, ThreadRequest } from './thread-protocol.ts'

type Unsequenced<T> = T extends unknown ? Omit<T, 'seq'> : never
/** A request as callers write it; the worker numbers it. */
export type WorkerRequest = Unsequenced<ThreadRequest>
/** A successful reply, its rows decoded. */
export interface WorkerBatch {
  readonly columns?: string[]
  readonly rows: unknown[][]
  readonly done: boolean
}

/** A failure reported by SQLite, by the thread, or the thread's death; `code` is SQLite's when it has one. */
export class SqliteSourceError extends Error {
  constructor(
    message: string,
    /** e.g. `SQLITE_ERROR`, `CANCELLED`, `WORKER_EXITED`. */
    readonly code: string | undefined,
  ) {
    super(message)
    this.name = 'SqliteSourceError'
  }
}

interface Pending {
  readonly cursor: number | undefined
  resolve(reply: WorkerBatch): void
  reject(err: Error): void
}

export interface SqliteWorkerOptions {
  /** SQLite file opened read-only by the thread. */
  readonly path: string
  /** V8 old-space cap of the thread in MB. */
  readonly heapMb: number
  /** V8 young-generation cap of the thread in MB (three semi-spaces' worth). */
  readonly youngMb: number
  /** SQLite page cache of the thread's connection in KiB. */
  readonly cacheKb: number
  /** Called once when the thread has exited, whatever the reason. */
  readonly onExit: (worker: SqliteWorker) => void
}

const ENTRY = new URL('./sqlite-thread.js', import.meta.url)
let nextWorkerId = 1

export class SqliteWorker {
  /** For logs. */
  readonly id = nextWorkerId++
  private readonly worker: Worker
  private readonly cancelFlag: Int32Array
  private readonly pending = new Map<number, Pending>()
  private seq = 0
  private exitReason: string | undefined
  private terminating = false
  private cursor: number | undefined

  constructor(options: SqliteWorkerOptions) {
    const cancel = new SharedArrayBuffer(4)
    this.cancelFlag = new Int32Array(cancel)
    const workerData: ThreadData = { path: options.path, cancel, cacheKb: options.cacheKb }
    // Plain JavaScript, so no loader: the parent's tsx or vitest flags would only fail in a Node 20 thread.
    this.worker = new Worker(ENTRY, {
      workerData,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb, maxYoungGenerationSizeMb: options.youngMb },
    })
    let crash: Error | undefined
    this.worker.on('message', (reply: ThreadReply) => this.settle(reply))
    this.worker.on('error', (err) => {
      crash = err
    })
    this.worker.on('exit', (code) => {
      this.cursor = undefined
      const reason = (this.exitReason = this.terminating
        ? 'SQLite worker thread was closed'
        : `SQLite worker thread exited (code ${code})${crash ? `: ${crash.message}` : ''}`)
      if (!this.terminating) log.error('sqlite worker thread died', { worker: this.id, code, error: crash?.message })
      for (const p of this.pending.values()) p.reject(new SqliteSourceError(reason, 'WORKER_EXITED'))
      this.pending.clear()
      options.onExit(this)
    })
  }

  /** False once the thread has exited. */
  get isAlive(): boolean {
    return this.exitReason === undefined
  }

  /** Whether a request is still being served by the thread. */
  get isWorking(): boolean {
    return this.pending.size > 0
  }

  /** The cursor open on the thread (from sending `open` until a reply says it is closed). */
  get openCursor(): number | undefined {
    return this.cursor
  }

  /** Sends a request; resolves with its batch, rejects with a SqliteSourceError. */
  request(req: WorkerRequest): Promise<WorkerBatch> {
    if (this.exitReason !== undefined) return Promise.reject(new SqliteSourceError(this.exitReason, 'WORKER_EXITED'))
    const seq = ++this.seq
    const cursor = 'cursor' in req ? req.cursor : undefined
    if (req.op === 'open') this.cursor = req.cursor
    return new Promise<WorkerBatch>((resolve, reject) => {
      this.pending.set(seq, { cursor, resolve, reject })
      this.worker.postMessage({ ...req, seq })
    })
  }

  /** Asks the thread to stop reading `cursor` at its next row (works while it is busy with a batch). */
  cancel(cursor: number): void {
    Atomics.store(this.cancelFlag, 0, cursor)
  }

  /** Keeps the process alive while the thread serves someone, not while it sits idle in the pool. */
  setReferenced(referenced: boolean): void {
    if (referenced) this.worker.ref()
    else this.worker.unref()
  }

  /** Stops the thread; pending requests reject. */
  async terminate(): Promise<void> {
    this.terminating = true
    await this.worker.terminate()
  }

  private settle(reply: ThreadReply): void {
    const p = this.pending.get(reply.seq)
    if (p === undefined) return
    this.pending.delete(reply.seq)
    if (p.cursor !== undefined && p.cursor === this.cursor && (!reply.ok || reply.done)) this.cursor = undefined
    if (reply.ok) {
      const rows = typeof reply.rows === 'string' ? (JSON.parse(reply.rows) as unknown[][]) : reply.rows
      p.resolve({ columns: reply.columns, rows, done: reply.done })
    } else {
      p.reject(new SqliteSourceError(`SQLite query failed: ${reply.message}`, reply.code))
    }
  }
}
