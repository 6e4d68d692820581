/**
 * The PostgreSQL MES source (node-postgres + pg-cursor), selected by `MES_DATABASE_URL=postgres://…`.
 * Streams through a server-side portal: the server holds the result and sends `fetchSize` rows per round
 * trip, so memory holds one batch per open stream. (Measured against postgres.js on 2 M history rows:
 * node-postgres streamed faster with a smaller RSS.)
 *
 * Limits, per process: at most DB_POOL_SIZE pooled connections (plus a short-lived one while `ping()` runs or
 * a statement that ignored its cancel requests is terminated); of those, at most DB_SLOW_MAX_CONCURRENT run
 * `stream()`s at once (further streams wait FIFO for a slot), while `all()` only waits for a free connection.
 * Every web or worker process has its own pool, so over all processes the database sees about
 * Σ(DB_POOL_SIZE + 1) connections and at most Σ DB_SLOW_MAX_CONCURRENT heavy trace statements: keep the
 * first under the server's max_connections less its reserved slots. Keep DB_SLOW_MAX_CONCURRENT below
 * DB_POOL_SIZE so `all()` calls made while streams are open always find a connection.
 *
 * Each fetch round trip has its own deadline, DB_SLOW_CALL_TIMEOUT_MS; a late round trip, an aborted signal
 * or `close()` cancels the statement on the server. A connection goes back to the pool only when it is
 * provably idle and healthy; otherwise it is destroyed.
 */
import type { Config } from '../../config.ts'
import { log } from '../../logger.ts'
import type { Batch, MesSource, SourceStats, StreamOptions } from '../mes-source.ts'
import type { SqlQuery } from '../sql.ts'
import { compilePostgres } from './compile-postgres.ts'
import { PortalReader } from './portal-reader.ts'
import { createPool, lease, withOneOffClient, type Lease, type PoolSettings } from './postgres-pool.ts'
import { Slots } from './slots.ts'

export interface PostgresSourceOptions {
  /** Connection URL; default config.MES_DATABASE_URL. */
  readonly url?: string
  /** Schema searched first (tests and demo loads use their own); default: the server's search_path. */
  readonly schema?: string
  /** pg_stat_activity.application_name of every connection; default `mes-trace`. */
  readonly applicationName?: string
  /** How long a cancelled or closing statement may take to settle before its connection is dropped; default 2000 ms. */
  readonly cancelGraceMs?: number
}

/** The PostgreSQL source, whose pool can always report its statistics. */
export interface PostgresSource extends MesSource {
  stats(): SourceStats
}

/** Opens nothing yet: connections are made on first use. */
export function createPostgresSource(config: Config, options: PostgresSourceOptions = {}): PostgresSource {
  const url = options.url ?? config.MES_DATABASE_URL
  if (url === undefined) throw new Error('MES_DATABASE_URL is not set')
  const settings: PoolSettings = {
    url,
    size: config.DB_POOL_SIZE,
    applicationName: options.applicationName ?? 'mes-trace',
    schema: options.schema,
  }
  const graceMs = options.cancelGraceMs ?? 2000
  const pool = createPool(settings)
  const slowSlots = new Slots(config.DB_SLOW_MAX_CONCURRENT)
  const closer = new AbortController()
  const leases = new Set<Lease>()
  let openCursors = 0
  let closing: Promise<void> | undefined
  const terminate = async (pid: number): Promise<void> => {
    await withOneOffClient(settings, (client) => client.query('SELECT pg_terminate_backend($1)', [pid]))
  }

  if (config.DB_SLOW_MAX_CONCURRENT >= config.DB_POOL_SIZE) {
    log.warn('DB_SLOW_MAX_CONCURRENT >= DB_POOL_SIZE: open streams can leave no connection for other queries', {
      DB_SLOW_MAX_CONCURRENT: config.DB_SLOW_MAX_CONCURRENT,
      DB_POOL_SIZE: config.DB_POOL_SIZE,
    })
  }

  async function* run(query: SqlQuery, options: StreamOptions, slow: boolean): AsyncGenerator<Batch, void, undefined> {
    if (closing !== undefined) throw new Error('MES source is closed')
    const signal = options.signal === undefined ? closer.signal : AbortSignal.any([options.signal, closer.signal])
    const fetchSize = options.fetchSize ?? config.DB_SLOW_FETCHMANY_SIZE
    const statement = compilePostgres(query)
    const releaseSlot = slow ? await slowSlots.acquire(signal) : undefined
    try {
      const leased = await lease(pool, signal)
      leases.add(leased)
      let reader: PortalReader | undefined
      try {
        reader = new PortalReader(leased.client, statement, {
          timeoutMs: config.DB_SLOW_CALL_TIMEOUT_MS,
          signal,
          graceMs,
          terminate,
        })
        openCursors += 1
        const first = await reader.read(fetchSize)
        // The first batch is yielded even when empty so consumers always learn the columns.
        yield { columns: reader.columns, rows: first }
        while (!reader.exhausted) {
          const rows = await reader.read(fetchSize)
          if (rows.length > 0) yield { columns: reader.columns, rows }
        }
      } finally {
        const reusable = reader !== undefined && !leased.released && (await reader.close())
        if (reader !== undefined) openCursors -= 1
        leases.delete(leased)
        leased.release(reusable)
      }
    } finally {
      releaseSlot?.()
    }
  }

  async function shutdown(): Promise<void> {
    closer.abort(new Error('MES source is closed'))
    const ended = pool.end()
    // A stream whose consumer stopped pulling without returning keeps its client; drop those connections.
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs)
    })
    if ((await Promise.race([ended, late])) === 'late') {
      log.warn('closing postgres source with streams still open; dropping their connections', { open: leases.size })
      for (const leased of leases) leased.release(false)
      leases.clear()
      await ended
    }
    clearTimeout(timer)
  }

  const source: PostgresSource = {
    dialect: 'postgres',
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
      // A connection of its own: a pool busy with long streams must not make the database look unreachable.
      await withOneOffClient(settings, (client) => client.query('SELECT 1'))
    },
    close() {
      closing ??= shutdown()
      return closing
    },
    stats: () => ({
      connections: pool.totalCount,
      busy: pool.totalCount - pool.idleCount,
      queued: pool.waitingCount + slowSlots.waiting,
      openCursors,
    }),
  }
  return source
}
