/**
 * The adapter's node-oracledb pool: DB_POOL_SIZE connections at most, made on demand, each session set up once
 * (CURRENT_SCHEMA = MES_SCHEMA, ISO 8601 date formats), connections that went idle long enough pinged before
 * reuse, and leases whose wait can be aborted. A pool that lost its connections (warehouse restart, network
 * cut) heals by itself: a dead idle connection fails its ping and is replaced, and a connection that failed
 * while leased is dropped, never returned.
 */
import { log } from '../../logger.ts'
import type { OracleConnection, OracleDriver, OraclePool, OraclePoolOptions } from './oracle-driver.ts'
import type { OracleSettings } from './oracle-settings.ts'
import type { ConnectionVerdict } from './statement-reader.ts'

/**
 * The session's date formats: ISO 8601 text bound by the stages (`'2024-03-01'`, `'2024-03-01T07:15:00'`)
 * converts to DATE and TIMESTAMP through them when compared with such a column, as on SQLite and PostgreSQL.
 */
export const SESSION_DATE_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS'

/** The statements every new session runs before its first use. */
export function sessionStatements(schema: string): string[] {
  return [
    `ALTER SESSION SET CURRENT_SCHEMA = ${schema}`,
    `ALTER SESSION SET NLS_DATE_FORMAT = '${SESSION_DATE_FORMAT}'`,
    `ALTER SESSION SET NLS_TIMESTAMP_FORMAT = '${SESSION_DATE_FORMAT}'`,
  ]
}

/** Minutes between keep-alive probes of a connection (dead-peer detection on a silent network). */
const EXPIRE_MINUTES = 1

/** Pool options for DB_POOL_SIZE connections. */
export function poolOptions(settings: OracleSettings, size: number): OraclePoolOptions {
  const setup = sessionStatements(settings.schema)
  return {
    user: settings.user,
    password: settings.password,
    connectString: settings.connectString,
    expireTime: EXPIRE_MINUTES,
    poolMin: 0,
    poolMax: size,
    poolIncrement: 1,
    poolTimeout: 30,
    // A connection idle this many seconds is pinged before reuse, so one killed during a warehouse restart is replaced.
    poolPingInterval: 10,
    poolPingTimeout: 5000,
    queueTimeout: 0,
    queueMax: -1,
    sessionCallback: (connection, _tag, done) => {
      const setUp = async (): Promise<void> => {
        for (const statement of setup) await connection.execute(statement)
      }
      setUp().then(
        () => done(),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      )
    },
  }
}

/** Creates the pool; no connection is opened before the first lease. */
export function createOraclePool(driver: OracleDriver, settings: OracleSettings, size: number): Promise<OraclePool> {
  return driver.createPool(poolOptions(settings, size))
}

/** Waits for a connection; if the signal aborts first, rejects with its reason and returns the late one. */
export function leaseConnection(pool: OraclePool, signal: AbortSignal): Promise<OracleConnection> {
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    let abandoned = false
    const onAbort = (): void => {
      abandoned = true
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    pool.getConnection().then(
      (connection) => {
        signal.removeEventListener('abort', onAbort)
        if (abandoned) void giveBack(connection, { kind: 'reuse' })
        else resolve(connection)
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err)
      },
    )
  })
}

/** Returns a connection to the pool or drops it, as the reader's verdict says. Never throws. */
export async function giveBack(connection: OracleConnection, verdict: ConnectionVerdict): Promise<void> {
  try {
    switch (verdict.kind) {
      case 'reuse':
        await connection.close()
        return
      case 'drop':
        await connection.close({ drop: true })
        return
      case 'stuck':
        // close() is serialized behind the running call, so the drop waits for it to end.
        void verdict.settled
          .then(() => connection.close({ drop: true }))
          .catch((err: unknown) => {
            log.warn('could not drop a stuck oracle connection', { error: String(err) })
          })
        return
    }
  } catch (err) {
    log.warn('oracle connection could not be returned; it is lost to the pool', { error: String(err) })
  }
}
