/**
 * The Oracle MES source (node-oracledb in Thin mode), selected by MES_ORACLE_URL: the plant's own warehouse.
 * Statements stream through a result set, `getRows(fetchSize)` per round trip with one batch read ahead while
 * the consumer handles the current one, so memory holds two batches per open stream.
 *
 * Limits, per process, as for PostgreSQL: at most DB_POOL_SIZE pooled connections (plus a short-lived one
 * while `ping()` runs); of those, at most DB_SLOW_MAX_CONCURRENT run `stream()`s at once (further streams wait
 * FIFO), while `all()` only waits for a free connection. Each round trip has its own deadline
 * (`callTimeout` = DB_SLOW_CALL_TIMEOUT_MS); an aborted signal or `close()` breaks the running call
 * (`connection.break()`). A connection goes back to the pool only when provably idle and healthy; otherwise
 * it is dropped and the pool makes a new one.
 */
import type { Config } from '../../config.ts'
import { log } from '../../logger.ts'
import type { Batch, MesSource, SourceStats, StreamOptions } from '../mes-source.ts'
import { Slots } from '../postgres/slots.ts'
import type { SqlQuery } from '../sql.ts'
import { compileOracle, ORACLE_LIST_MAX } from './compile-oracle.ts'
import { loadOracleDriver, type OracleDriver, type OraclePool } from './oracle-driver.ts'
import { createOraclePool, giveBack, leaseConnection } from './oracle-pool.ts'
import { oracleSettings, type OracleSettings } from './oracle-settings.ts'
import { StatementReader } from './statement-reader.ts'

export interface OracleSourceOptions {
  /** The driver; default node-oracledb, loaded on first use (tests pass a scripted one). */
  readonly driver?: OracleDriver
  /** Connection settings; default read from config (MES_ORACLE_URL, MES_ORACLE_USER, …). */
  readonly settings?: OracleSettings
  /** How long a broken call or a closing result set may take before the connection is dropped; default 2000 ms. */
  readonly cancelGraceMs?: number
}

/** The Oracle source, whose pool can always report its statistics. */
export interface OracleSource extends MesSource {
  readonly settings: OracleSettings
  stats(): SourceStats
}

/** A ping waits this long for the listener and for the answer. */
const PING_TIMEOUT_MS = 5000

/** Opens nothing yet: the driver is loaded and connections made on first use. */
export function createOracleSource(config: Config, options: OracleSourceOptions = {}): OracleSource {
  const settings = options.settings ?? oracleSettings(config)
  const graceMs = options.cancelGraceMs ?? 2000
  const slowSlots = new Slots(config.DB_SLOW_MAX_CONCURRENT)
  const closer = new AbortController()
  let driverLoaded: Promise<OracleDriver> | undefined
  let poolCreated: Promise<OraclePool> | undefined
  let pool: OraclePool | undefined
  let leasing = 0
  let openCursors = 0
  let closing: Promise<void> | undefined

  if (config.DB_SLOW_MAX_CONCURRENT >= config.DB_POOL_SIZE) {
    log.warn('DB_SLOW_MAX_CONCURRENT >= DB_POOL_SIZE: open streams can leave no connection for other queries', {
      DB_SLOW_MAX_CONCURRENT: config.DB_SLOW_MAX_CONCURRENT,
      DB_POOL_SIZE: config.DB_POOL_SIZE,
    })
  }
  if (config.TRACE_IN_BATCH_SIZE > ORACLE_LIST_MAX) {
    log.warn('TRACE_IN_BATCH_SIZE > 1000: Oracle IN lists hold 1000 ids, so longer batches become subqueries', {
      TRACE_IN_BATCH_SIZE: config.TRACE_IN_BATCH_SIZE,
    })
  }

  const driver = (): Promise<OracleDriver> => {
    driverLoaded ??= options.driver ? Promise.resolve(options.driver) : loadOracleDriver()
    return driverLoaded
  }
  const openPool = (): Promise<OraclePool> => {
    poolCreated ??= driver()
      .then((d) => createOraclePool(d, settings, config.DB_POOL_SIZE))
      .then(
        (created) => (pool = created),
        (err: unknown) => {
          // A pool that could not be created is tried again by the next statement.
          poolCreated = undefined
          throw err
        },
      )
    return poolCreated
  }

  async function* run(query: SqlQuery, options: StreamOptions, slow: boolean): AsyncGenerator<Batch, void, undefined> {
    if (closing !== undefined) throw new Error('MES source is closed')
    const signal = options.signal === undefined ? closer.signal : AbortSignal.any([options.signal, closer.signal])
    const fetchSize = options.fetchSize ?? config.DB_SLOW_FETCHMANY_SIZE
    const statement = compileOracle(query)
    const releaseSlot = slow ? await slowSlots.acquire(signal) : undefined
    try {
      const [oracle, connections] = await Promise.all([driver(), openPool()])
      leasing += 1
      const connection = await leaseConnection(connections, signal).finally(() => {
        leasing -= 1
      })
      const reader = new StatementReader(oracle, connection, statement, {
        timeoutMs: config.DB_SLOW_CALL_TIMEOUT_MS,
        signal,
        graceMs,
      })
      openCursors += 1
      try {
        await reader.open(fetchSize)
        let rows = await reader.read(fetchSize)
        let first = true
        for (;;) {
          // The next batch is asked for before this one is handed over, so the warehouse sends it while the
          // consumer encodes and stores; `close()` breaks it if the consumer stops early.
          const ahead = reader.exhausted ? undefined : reader.read(fetchSize)
          ahead?.catch(() => undefined)
          // The first batch is yielded even when empty so consumers always learn the columns.
          if (first || rows.length > 0) yield { columns: reader.columns, rows }
          first = false
          if (ahead === undefined) return
          rows = await ahead
        }
      } finally {
        const verdict = await reader.close()
        openCursors -= 1
        await giveBack(connection, verdict)
      }
    } finally {
      releaseSlot?.()
    }
  }

  async function shutdown(): Promise<void> {
    closer.abort(new Error('MES source is closed'))
    if (poolCreated === undefined) return
    const created = await poolCreated.catch(() => undefined)
    // Streams get the grace period to break their calls and return their connections; then the pool closes
    // whatever a consumer that stopped pulling still holds.
    await created?.close(Math.ceil(graceMs / 1000)).catch((err: unknown) => {
      log.warn('closing the oracle pool failed', { error: String(err) })
    })
  }

  return {
    dialect: 'oracle',
    settings,
    stream: (query, options = {}) => run(query, options, true),
    async all(query, options = {}) {
      let columns: readonly string[] = []
      const rows: unknown[][] = []
      for await (const batch of run(query, options, false)) {
        columns = batch.columns
        for (const row of batch.rows) rows.push(row)
      }
      return { columns, rows }
    },
    async ping() {
      if (closing !== undefined) throw new Error('MES source is closed')
      // A connection of its own: a pool busy with long streams must not make the warehouse look unreachable.
      const oracle = await driver()
      const connection = await oracle.getConnection({
        user: settings.user,
        password: settings.password,
        connectString: settings.connectString,
        connectTimeout: PING_TIMEOUT_MS / 1000,
      })
      try {
        connection.callTimeout = PING_TIMEOUT_MS
        await connection.ping()
      } finally {
        await connection.close().catch(() => {})
      }
    },
    close() {
      closing ??= shutdown()
      return closing
    },
    stats: () => ({
      connections: pool?.connectionsOpen ?? 0,
      busy: pool?.connectionsInUse ?? 0,
      queued: leasing + slowSlots.waiting,
      openCursors,
    }),
  }
}
