/**
 * The adapter's bounded node-postgres pool and abortable leases on it. The pool carries this adapter's type
 * parsers and, for tests and demo loads, a search_path, so nothing is configured globally.
 */
import pg from 'pg'
import type { Pool, PoolClient, PoolConfig } from 'pg'
import { log } from '../../logger.ts'
import { postgresTypes } from './postgres-types.ts'

export interface PoolSettings {
  readonly url: string
  /** Connections at most (DB_POOL_SIZE). */
  readonly size: number
  /** Shown in pg_stat_activity.application_name. */
  readonly applicationName: string
  /** Schema put first on the search_path of every connection; default: the server's search_path. */
  readonly schema?: string
}

/** Client settings shared by the pool and one-off connections (health pings). */
export function clientConfig(settings: PoolSettings): PoolConfig {
  if (settings.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(settings.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(settings.schema)}: use lower-case letters, digits, _`)
  }
  return {
    connectionString: settings.url,
    application_name: settings.applicationName,
    options: settings.schema === undefined ? undefined : `-c search_path=${settings.schema}`,
    types: postgresTypes,
  }
}

/** Opens no connection yet; connections are made on demand up to `size`. */
export function createPool(settings: PoolSettings): Pool {
  const pool = new pg.Pool({ ...clientConfig(settings), max: settings.size, idleTimeoutMillis: 30_000 })
  // An idle connection dropped by the server must not crash the process; the pool already replaced it.
  pool.on('error', (err) => log.warn('idle postgres connection failed', { error: err.message }))
  return pool
}

/** A leased client; `release(false)` destroys the connection instead of returning it. */
export interface Lease {
  readonly client: PoolClient
  /** True once released (possibly by `close()` dropping it while its stream was still open). */
  readonly released: boolean
  release(reusable: boolean): void
}

/** Waits for a client; if the signal aborts first, rejects with its reason and returns the late client. */
export function lease(pool: Pool, signal: AbortSignal): Promise<Lease> {
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    let abandoned = false
    const onAbort = (): void => {
      abandoned = true
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    pool.connect().then(
      (client) => {
        signal.removeEventListener('abort', onAbort)
        if (abandoned) client.release()
        else resolve(wrap(client))
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}

function wrap(client: PoolClient): Lease {
  let lost = false
  // A leased client has no pool listener; a dropped connection surfaces through the running query instead.
  const onError = (err: Error): void => {
    lost = true
    log.warn('leased postgres connection failed', { error: err.message })
  }
  client.on('error', onError)
  let released = false
  return {
    client,
    get released() {
      return released
    },
    release(reusable) {
      if (released) return
      released = true
      client.off('error', onError)
      client.release(reusable && !lost ? undefined : true)
    },
  }
}

/**
 * Runs `work` on a connection of its own, outside the pool, bounded to 5 s: for health pings and for
 * terminating a stuck backend, neither of which may wait behind a pool full of long streams.
 */
export async function withOneOffClient<T>(settings: PoolSettings, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...clientConfig(settings), connectionTimeoutMillis: 5000, query_timeout: 5000 })
  // Failures surface through connect() and query(); the event would otherwise crash the process.
  client.on('error', () => {})
  try {
    await client.connect()
    return await work(client)
  } finally {
    await client.end().catch(() => {})
  }
}
