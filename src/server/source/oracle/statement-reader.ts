/**
 * One statement on a leased connection, read through a node-oracledb result set: `getRows(fetchSize)` per
 * round trip, each round trip bounded by the connection's `callTimeout` (DB_SLOW_CALL_TIMEOUT_MS). An abort
 * sends `connection.break()`, which makes the server stop the running call (it fails with ORA-01013), and
 * `close()` always closes the result set, then says whether the connection can go back to the pool.
 *
 * The result set allows one call at a time (NJS-017 otherwise), so the reader tracks the call in flight:
 * `close()` breaks it and waits for it before closing.
 */
import { log } from '../../logger.ts'
import { SourceTimeoutError } from '../postgres/source-timeout-error.ts'
import type { CompiledOracle } from './compile-oracle.ts'
import { oracleErrorCode, type OracleConnection, type OracleDriver, type OracleResultSet } from './oracle-driver.ts'
import { columnsAsWritten, fetchTypeHandler } from './oracle-values.ts'

export interface ReaderOptions {
  /** Deadline of one round trip (DB_SLOW_CALL_TIMEOUT_MS), set as the connection's callTimeout. */
  readonly timeoutMs: number
  /** Aborting breaks the running call; the read then throws the signal's reason. */
  readonly signal: AbortSignal
  /** How long a broken call may take to stop, and the result set to close, before the connection is dropped. */
  readonly graceMs: number
}

/**
 * What to do with the connection once the reader is closed. `reuse`: idle and healthy, back to the pool.
 * `drop`: its state is in doubt, close it. `stuck`: a call ignored the break and is still running; the
 * connection can only be dropped once that call settles (`settled`).
 */
export type ConnectionVerdict =
  { readonly kind: 'reuse' } | { readonly kind: 'drop' } | { readonly kind: 'stuck'; readonly settled: Promise<void> }

/**
 * `open`: more rows may follow. `exhausted`: the last rows were read. `failed`: a call failed on the server
 * (a SQL error, or ORA-01013 after our break): the connection is idle. `broken`: the connection's state is
 * unknown (timed out, lost, or a call that finished despite a break).
 */
type ReaderState = 'open' | 'exhausted' | 'failed' | 'broken'

/** Driver codes after which the session is gone or its protocol state unknown (NJS-123: call timeout). */
const CONNECTION_LOST = /^NJS-(500|501|503|521|123)$|^ORA-(00028|01012|02396|03113|03114|03135)$/
const CALL_TIMEOUT = 'NJS-123'
const CANCELLED = 'ORA-01013'

/** How a driver call ended, without rejecting. */
type CallOutcome = { readonly ok: true } | { readonly ok: false; readonly code: string | undefined }

export class StatementReader {
  readonly #driver: OracleDriver
  readonly #connection: OracleConnection
  readonly #statement: CompiledOracle
  readonly #options: ReaderOptions
  #resultSet: OracleResultSet | undefined
  #columns: readonly string[] = []
  #state: ReaderState = 'open'
  /** The driver call in flight (the next batch read ahead, or a call that ignored a break). */
  #pending: Promise<CallOutcome> | undefined
  #closed: Promise<ConnectionVerdict> | undefined

  constructor(driver: OracleDriver, connection: OracleConnection, statement: CompiledOracle, options: ReaderOptions) {
    this.#driver = driver
    this.#connection = connection
    this.#statement = statement
    this.#options = options
  }

  /** Column names in the statement's spelling (known once open). */
  get columns(): readonly string[] {
    return this.#columns
  }

  /** True once the last rows have been read. */
  get exhausted(): boolean {
    return this.#state === 'exhausted'
  }

  /** Executes the statement; rows are then read with `read`. */
  async open(fetchSize: number): Promise<void> {
    this.#connection.callTimeout = this.#options.timeoutMs
    const result = await this.#call(() =>
      this.#connection.execute(this.#statement.text, this.#statement.binds, {
        resultSet: true,
        outFormat: this.#driver.OUT_FORMAT_ARRAY,
        fetchArraySize: fetchSize,
        prefetchRows: fetchSize,
        fetchTypeHandler: fetchTypeHandler(this.#driver),
      }),
    )
    if (result.resultSet === undefined) throw new Error('Oracle returned no result set: only queries can be streamed')
    this.#resultSet = result.resultSet
    this.#columns = columnsAsWritten(this.#statement.text, result.resultSet.metaData)
  }

  /** Up to `count` rows; fewer than `count` means the statement is complete. */
  async read(count: number): Promise<unknown[][]> {
    const resultSet = this.#resultSet
    if (this.#state !== 'open' || resultSet === undefined) return []
    const rows = await this.#call(() => resultSet.getRows(count))
    if (rows.length < count) this.#mark('exhausted')
    return rows
  }

  /**
   * Closes the result set (breaking a call still in flight first) and says what the connection is fit for.
   * Never throws; safe to call twice.
   */
  close(): Promise<ConnectionVerdict> {
    this.#closed ??= this.#close()
    return this.#closed
  }

  async #close(): Promise<ConnectionVerdict> {
    if (this.#pending !== undefined && this.#state !== 'broken') await this.#stopPending()
    const pending = this.#pending
    if (pending !== undefined) {
      log.warn('oracle call ignored its break; its connection is dropped once the call ends')
      return { kind: 'stuck', settled: pending.then(() => this.#closeResultSet()).then(() => undefined) }
    }
    const closed = await this.#closeResultSet()
    if (!closed || this.#state === 'broken') return { kind: 'drop' }
    return this.#connection.isHealthy() ? { kind: 'reuse' } : { kind: 'drop' }
  }

  /** Closes the result set if one was opened; false when it could not be closed in time. */
  async #closeResultSet(): Promise<boolean> {
    const resultSet = this.#resultSet
    this.#resultSet = undefined
    if (resultSet === undefined) return true
    try {
      return (await within(resultSet.close(), this.#options.graceMs)) !== 'late'
    } catch (err) {
      log.warn('oracle result set did not close; dropping its connection', { error: String(err) })
      return false
    }
  }

  /** Runs one driver call; an abort breaks it, and a failure records what it means for the connection. */
  async #call<T>(start: () => Promise<T>): Promise<T> {
    const { signal } = this.#options
    signal.throwIfAborted()
    const work = start()
    const pending: Promise<CallOutcome> = work.then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, code: oracleErrorCode(err) }),
    )
    this.#pending = pending
    let onAbort: () => void = () => {}
    const aborted = new Promise<typeof ABORTED>((resolve) => {
      onAbort = () => resolve(ABORTED)
      signal.addEventListener('abort', onAbort, { once: true })
    })
    let first: T | typeof ABORTED
    try {
      first = await Promise.race([work, aborted])
    } catch (err) {
      this.#pending = undefined
      const code = oracleErrorCode(err)
      this.#mark(CONNECTION_LOST.test(code ?? '') ? 'broken' : 'failed')
      if (code === CALL_TIMEOUT) throw new SourceTimeoutError(this.#options.timeoutMs)
      throw err
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    if (first === ABORTED) {
      await this.#stopPending()
      throw signal.reason
    }
    this.#pending = undefined
    return first
  }

  /**
   * Sends a break for the call in flight and waits (up to the grace period) for it to end. Only the call
   * failing with ORA-01013 proves the server consumed the break; a call that completed anyway leaves the
   * connection's state in doubt, and one still running after the grace period is left to settle (stuck).
   */
  async #stopPending(): Promise<void> {
    const pending = this.#pending
    if (pending === undefined) return
    await this.#connection.break().catch((err: unknown) => {
      log.warn('oracle break failed', { error: String(err) })
    })
    const outcome = await within(pending, this.#options.graceMs)
    if (outcome === 'late') {
      this.#mark('broken')
      return
    }
    this.#pending = undefined
    this.#mark(!outcome.ok && outcome.code === CANCELLED ? 'failed' : 'broken')
  }

  /** A broken connection stays broken: a late call outcome must not make it look reusable again. */
  #mark(state: ReaderState): void {
    if (this.#state !== 'broken') this.#state = state
  }
}

const ABORTED = Symbol('aborted')

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
