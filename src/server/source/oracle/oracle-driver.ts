/**
 * The part of node-oracledb (v6, Thin mode) this adapter uses, typed here because the package ships no types.
 * Everything in the adapter talks to these interfaces, so a scripted driver in the tests can stand in for the
 * real one and record each call. Thin mode is pure JavaScript: `initOracleClient()` is never called, so no
 * Oracle Client libraries are needed.
 */

/** An opaque node-oracledb database type (`oracledb.DB_TYPE_*`). */
export interface OracleDbType {
  readonly name: string
}

/** One column of a result set. */
export interface OracleColumn {
  /** As Oracle reports it: unquoted names upper-cased, expressions as written without spaces. */
  readonly name: string
  readonly dbType: OracleDbType
}

/** What a fetch type handler may ask for: another fetch type and/or a converter of each value. */
export interface OracleFetchType {
  readonly type?: OracleDbType
  readonly converter?: (value: unknown) => unknown
}

export interface OracleExecuteOptions {
  readonly resultSet: true
  readonly outFormat: number
  /** Rows per round trip of `getRows`. */
  readonly fetchArraySize: number
  /** Rows returned with the execute round trip itself. */
  readonly prefetchRows: number
  readonly fetchTypeHandler: (column: OracleColumn) => OracleFetchType | undefined
}

export interface OracleResultSet {
  readonly metaData: readonly OracleColumn[]
  /** Up to `count` rows; fewer means the statement is complete. */
  getRows(count: number): Promise<unknown[][]>
  close(): Promise<void>
}

export interface OracleConnection {
  /** Milliseconds one round trip may take before the driver breaks it (NJS-123); 0 = no limit. */
  callTimeout: number
  execute(
    sql: string,
    binds: readonly unknown[],
    options: OracleExecuteOptions,
  ): Promise<{ resultSet?: OracleResultSet }>
  /** Plain statements (session setup); no result set. */
  execute(sql: string): Promise<unknown>
  /** Asks the server to stop the running call; not serialized behind it, unlike every other method. */
  break(): Promise<void>
  ping(): Promise<void>
  /** Whether the connection looks usable without a round trip (Thin: no pending out-of-band notice). */
  isHealthy(): boolean
  /** Back to its pool (or closed when standalone); `drop: true` closes a pooled connection instead. */
  close(options?: { drop: boolean }): Promise<void>
}

export interface OracleConnectOptions {
  readonly user: string
  readonly password: string
  readonly connectString: string
  /** Seconds to wait for the listener before NJS-503. */
  readonly connectTimeout?: number
  /** Minutes between keep-alive probes of an idle connection (dead-peer detection). */
  readonly expireTime?: number
}

export interface OraclePoolOptions extends OracleConnectOptions {
  readonly poolMin: number
  readonly poolMax: number
  readonly poolIncrement: number
  /** Seconds an idle connection above poolMin lives. */
  readonly poolTimeout: number
  /** Seconds of idleness after which a connection is pinged before being handed out. */
  readonly poolPingInterval: number
  /** Milliseconds that ping may take before the connection is replaced. */
  readonly poolPingTimeout: number
  /** Milliseconds a getConnection() may wait; 0 = no limit (the adapter's abort signal bounds the wait). */
  readonly queueTimeout: number
  /** Waiting getConnection() calls allowed; -1 = no limit. */
  readonly queueMax: number
  /** Runs on every new session before it is handed out. */
  readonly sessionCallback: (connection: OracleConnection, requestedTag: string, done: (err?: Error) => void) => void
}

export interface OraclePool {
  readonly connectionsOpen: number
  readonly connectionsInUse: number
  getConnection(): Promise<OracleConnection>
  /** Closes the pool; with a drain time, busy connections get that many seconds before being closed. */
  close(drainTime?: number): Promise<void>
}

/** The node-oracledb module. */
export interface OracleDriver {
  readonly OUT_FORMAT_ARRAY: number
  readonly DB_TYPE_VARCHAR: OracleDbType
  readonly DB_TYPE_CLOB: OracleDbType
  readonly DB_TYPE_NCLOB: OracleDbType
  readonly DB_TYPE_DATE: OracleDbType
  readonly DB_TYPE_TIMESTAMP: OracleDbType
  readonly DB_TYPE_TIMESTAMP_TZ: OracleDbType
  readonly DB_TYPE_TIMESTAMP_LTZ: OracleDbType
  createPool(options: OraclePoolOptions): Promise<OraclePool>
  getConnection(options: OracleConnectOptions): Promise<OracleConnection>
}

// A specifier in a constant keeps the import lazy and lets TypeScript accept a package without types.
const ORACLEDB_MODULE = 'oracledb'

/** Loads node-oracledb on demand, so SQLite and PostgreSQL users never load it. */
export async function loadOracleDriver(): Promise<OracleDriver> {
  const module = (await import(ORACLEDB_MODULE)) as { default: OracleDriver }
  return module.default
}

/** The driver's error code (`ORA-01017`, `NJS-503`, …), if the error carries one. */
export function oracleErrorCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined
  return typeof code === 'string' ? code : undefined
}
