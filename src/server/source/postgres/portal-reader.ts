/**
 * One statement read through a server-side portal (pg-cursor) on a leased client: one batch per round trip,
 * each round trip with its own deadline. PostgreSQL's statement_timeout cannot give that: inside one
 * portal it keeps running until Sync, so a consumer that is slow between batches would trip it. The deadline
 * and the abort signal therefore cancel on the server with a CancelRequest, and `close()` reports whether
 * the connection may serve the next statement or must be destroyed.
 */
import type { PoolClient } from 'pg'
import Cursor from 'pg-cursor'
import { log } from '../../logger.ts'
import { cancelTargetOf, startCancelling } from './cancel-request.ts'
import { columnsAsWritten } from './column-names.ts'
import type { CompiledPostgres } from './compile-postgres.ts'
import { SourceTimeoutError } from './source-timeout-error.ts'

export interface PortalOptions {
  /** Deadline of one fetch round trip (DB_SLOW_CALL_TIMEOUT_MS). */
  readonly timeoutMs: number
  /** Aborting cancels the running fetch on the server; the read then throws the signal's reason. */
  readonly signal: AbortSignal
  /** How long a cancelled, failed or closing statement may take to settle before the connection is dropped. */
  readonly graceMs: number
  /** Ends a backend from another connection (pg_terminate_backend): the last resort for a stuck statement. */
  readonly terminate: (processID: number) => Promise<void>
}

/**
 * `open`: portal suspended, more rows may follow. `exhausted`: the server completed the statement and the
 * connection is idle. `settling`: the statement failed (or our cancel hit it) and the connection is on its
 * way back to idle. `broken`: the connection's state is unknown, so it must not be reused.
 */
type PortalState = 'open' | 'exhausted' | 'settling' | 'broken'

type ReadOutcome =
  | { readonly kind: 'rows'; readonly rows: unknown[][]; readonly fields: readonly string[] }
  | { readonly kind: 'error'; readonly error: unknown }

/** The deadline passed or the signal aborted while a fetch was running. */
interface Interruption {
  readonly kind: 'interrupted'
  readonly reason: unknown
}

const QUERY_CANCELED = '57014'
const CANCEL_RETRY_MS = 250

export class PortalReader {
  readonly #client: PoolClient
  readonly #cursor: Cursor<unknown[]>
  readonly #sqlText: string
  readonly #options: PortalOptions
  #state: PortalState = 'open'
  #columns: readonly string[] = []

  constructor(client: PoolClient, statement: CompiledPostgres, options: PortalOptions) {
    this.#client = client
    this.#sqlText = statement.text
    this.#options = options
    this.#cursor = client.query(new Cursor<unknown[]>(statement.text, [...statement.values], { rowMode: 'array' }))
  }

  /** Column names in the spelling the statement uses (known after the first read). */
  get columns(): readonly string[] {
    return this.#columns
  }

  /** True once the server has sent the last row. */
  get exhausted(): boolean {
    return this.#state === 'exhausted'
  }

  /** Fetches up to `count` rows; fewer than `count` means the statement is complete. */
  async read(count: number): Promise<unknown[][]> {
    if (this.#state !== 'open') return []
    const { signal, timeoutMs } = this.#options
    signal.throwIfAborted()

    const settled = new Promise<ReadOutcome>((resolve) => {
      this.#cursor.read(count, (error, rows, result) => {
        resolve(error ? { kind: 'error', error } : { kind: 'rows', rows, fields: result.fields.map((f) => f.name) })
      })
    })
    let deadline: NodeJS.Timeout | undefined
    let onAbort: () => void = () => {}
    const interrupted = new Promise<Interruption>((resolve) => {
      deadline = setTimeout(
        () => resolve({ kind: 'interrupted', reason: new SourceTimeoutError(timeoutMs) }),
        timeoutMs,
      )
      onAbort = () => resolve({ kind: 'interrupted', reason: signal.reason })
      signal.addEventListener('abort', onAbort, { once: true })
    })
    let first: ReadOutcome | Interruption
    try {
      first = await Promise.race([settled, interrupted])
    } finally {
      clearTimeout(deadline)
      signal.removeEventListener('abort', onAbort)
    }

    switch (first.kind) {
      case 'interrupted':
        return this.#stop(settled, first.reason)
      case 'error':
        this.#state = 'settling'
        throw first.error
      case 'rows':
        if (this.#columns.length === 0) this.#columns = columnsAsWritten(this.#sqlText, first.fields)
        if (first.rows.length < count) this.#state = 'exhausted'
        return first.rows
    }
  }

  /**
   * Cancels the running fetch on the server, waits (up to the grace period) for it to stop, then throws the
   * interruption's reason. A statement that ignores its cancel requests is terminated with its backend.
   */
  async #stop(settled: Promise<ReadOutcome>, reason: unknown): Promise<never> {
    const target = cancelTargetOf(this.#client)
    const cancelling =
      target === undefined
        ? undefined
        : startCancelling(target, CANCEL_RETRY_MS, (err) =>
            log.warn('postgres cancel request failed', { error: String(err) }),
          )
    let graceTimer: NodeJS.Timeout | undefined
    const graceOver = new Promise<undefined>((resolve) => {
      graceTimer = setTimeout(() => resolve(undefined), this.#options.graceMs)
    })
    const outcome = await Promise.race([settled, graceOver])
    clearTimeout(graceTimer)
    // Every request must have reached the server before the connection runs anything else, or a late one
    // could cancel the next statement; delivered ones are discarded at the server's next message boundary.
    await cancelling?.stop()
    if (outcome === undefined) {
      this.#state = 'broken'
      if (target !== undefined) {
        log.warn('postgres statement ignored its cancel requests; terminating its backend', { pid: target.processID })
        await this.#options.terminate(target.processID).catch((err: unknown) => {
          log.warn('could not terminate postgres backend', { pid: target.processID, error: String(err) })
        })
      }
    } else {
      // Only an error raised by a cancel proves the backend consumed one; a fetch that completed anyway
      // leaves the connection's state in doubt, so it is dropped.
      this.#state = outcome.kind === 'error' && errorCode(outcome.error) === QUERY_CANCELED ? 'settling' : 'broken'
    }
    throw reason
  }

  /**
   * Closes the portal (if still open) and reports whether the connection is idle and healthy. Never throws:
   * a connection that cannot be proven healthy within the grace period is reported unusable.
   */
  async close(): Promise<boolean> {
    const state = this.#state
    this.#state = 'exhausted'
    try {
      switch (state) {
        case 'exhausted':
          return true
        case 'broken':
          return false
        case 'open':
          await within(this.#cursor.close(), this.#options.graceMs)
          return true
        case 'settling':
          // Queued behind the failed statement's Sync: succeeds only once the connection is idle again.
          await within(this.#client.query('SELECT 1'), this.#options.graceMs)
          return true
      }
    } catch (err) {
      log.warn('postgres connection could not be returned healthy; discarding it', { error: String(err) })
      return false
    }
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}
