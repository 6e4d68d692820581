/**
 * A scripted stand-in for node-oracledb: the adapter runs against the same interface (oracle-driver.ts), each
 * call is recorded in order, and every statement is answered by a script. Nothing is open that the adapter
 * did not close: `leaks()` lists result sets and leased connections still open, so a test fails on a missed
 * `close()`.
 *
 *   const driver = new ScriptedDriver(() => ({ rows: [[1], [2]] }))
 *   const source = createOracleSource(config, { driver, settings: TEST_SETTINGS })
 *   …
 *   expect(driver.leaks()).toEqual([])
 */
import type {
  OracleColumn,
  OracleConnection,
  OracleConnectOptions,
  OracleDbType,
  OracleDriver,
  OracleExecuteOptions,
  OraclePool,
  OraclePoolOptions,
  OracleResultSet,
} from '../../../../src/server/source/oracle/oracle-driver.ts'
import type { OracleSettings } from '../../../../src/server/source/oracle/oracle-settings.ts'

/** How the scripted warehouse answers one statement. */
export interface StatementScript {
  /** Result columns; default one VARCHAR2 column per value of the first row, named C1, C2, … */
  readonly columns?: readonly OracleColumn[]
  readonly rows?: readonly unknown[][]
  /** execute() fails with this error. */
  readonly executeError?: Error
  /** The n-th getRows() call (0-based) fails with this error. */
  readonly fetchError?: { readonly at: number; readonly error: Error }
  /** The n-th getRows() call (0-based) hangs until break() (then fails ORA-01013) or until `release()`. */
  readonly hangAt?: number
  /** A hanging call ignores break(). */
  readonly ignoreBreak?: boolean
}

export type Script = (sql: string, binds: readonly unknown[]) => StatementScript

/** An error as node-oracledb shapes it: `code` and a message starting with it. */
export function oracleError(code: string, message = 'scripted failure'): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code })
}

const dbType = (name: string): OracleDbType => ({ name })

export const TEST_SETTINGS: OracleSettings = {
  connectString: 'dwh.test:1521/DWH',
  user: 'MES_TRACE',
  password: 'secret',
  schema: 'DWH',
}

export class ScriptedDriver implements OracleDriver {
  readonly OUT_FORMAT_ARRAY = 4001
  readonly DB_TYPE_VARCHAR = dbType('DB_TYPE_VARCHAR')
  readonly DB_TYPE_CLOB = dbType('DB_TYPE_CLOB')
  readonly DB_TYPE_NCLOB = dbType('DB_TYPE_NCLOB')
  readonly DB_TYPE_DATE = dbType('DB_TYPE_DATE')
  readonly DB_TYPE_TIMESTAMP = dbType('DB_TYPE_TIMESTAMP')
  readonly DB_TYPE_TIMESTAMP_TZ = dbType('DB_TYPE_TIMESTAMP_TZ')
  readonly DB_TYPE_TIMESTAMP_LTZ = dbType('DB_TYPE_TIMESTAMP_LTZ')
  readonly DB_TYPE_NUMBER = dbType('DB_TYPE_NUMBER')

  /** Every call, in order: `execute <sql>`, `getRows 5`, `rs.close`, `break`, `release`, `drop`, … */
  readonly calls: string[] = []
  readonly executed: {
    readonly sql: string
    readonly binds: readonly unknown[]
    readonly options: OracleExecuteOptions
  }[] = []
  readonly connections: ScriptedConnection[] = []
  pools: ScriptedPool[] = []
  /** Makes the next standalone getConnection() (ping) fail. */
  connectError: Error | undefined
  /** Makes the pool's getConnection() wait until `grantConnections()`. */
  holdConnections = false
  readonly #held: (() => void)[] = []

  constructor(public script: Script = () => ({ rows: [] })) {}

  async createPool(options: OraclePoolOptions): Promise<OraclePool> {
    const pool = new ScriptedPool(this, options)
    this.pools.push(pool)
    return pool
  }

  async getConnection(options: OracleConnectOptions): Promise<OracleConnection> {
    this.calls.push(`connect ${options.connectString}`)
    if (this.connectError) throw this.connectError
    return this.newConnection(undefined)
  }

  newConnection(pool: ScriptedPool | undefined): ScriptedConnection {
    const connection = new ScriptedConnection(this, pool, this.connections.length + 1)
    this.connections.push(connection)
    return connection
  }

  waitForGrant(): Promise<void> {
    return this.holdConnections ? new Promise((resolve) => this.#held.push(resolve)) : Promise.resolve()
  }

  /** Lets the pool's waiting getConnection() calls through. */
  grantConnections(): void {
    this.holdConnections = false
    for (const grant of this.#held.splice(0)) grant()
  }

  /** Result sets and leased connections nobody closed. */
  leaks(): string[] {
    const open: string[] = []
    for (const c of this.connections) {
      if (c.state === 'leased') open.push(`connection ${c.id} still leased`)
      for (const rs of c.resultSets) if (!rs.closed) open.push(`result set on connection ${c.id} not closed`)
    }
    return open
  }
}

export class ScriptedPool implements OraclePool {
  closedWith: number | undefined
  constructor(
    readonly driver: ScriptedDriver,
    readonly options: OraclePoolOptions,
  ) {}

  get connectionsOpen(): number {
    return this.driver.connections.filter((c) => c.pool === this && c.state !== 'closed').length
  }

  get connectionsInUse(): number {
    return this.driver.connections.filter((c) => c.pool === this && c.state === 'leased').length
  }

  async getConnection(): Promise<OracleConnection> {
    await this.driver.waitForGrant()
    const idle = this.driver.connections.find((c) => c.pool === this && c.state === 'idle')
    if (idle) {
      idle.state = 'leased'
      return idle
    }
    const connection = this.driver.newConnection(this)
    await new Promise<void>((resolve, reject) =>
      this.options.sessionCallback(connection, '', (err) => (err ? reject(err) : resolve())),
    )
    return connection
  }

  async close(drainTime?: number): Promise<void> {
    this.closedWith = drainTime
    this.driver.calls.push(`pool.close ${drainTime}`)
    for (const c of this.driver.connections) if (c.pool === this) c.state = 'closed'
  }
}

export class ScriptedConnection implements OracleConnection {
  callTimeout = 0
  state: 'idle' | 'leased' | 'closed' = 'leased'
  healthy = true
  readonly resultSets: ScriptedResultSet[] = []
  /** Settles the call that hangs (as if the server finally answered). */
  hanging:
    { readonly resolve: () => void; readonly reject: (err: Error) => void; readonly ignoreBreak: boolean } | undefined

  constructor(
    readonly driver: ScriptedDriver,
    readonly pool: ScriptedPool | undefined,
    readonly id: number,
  ) {}

  execute(sql: string): Promise<unknown>
  execute(
    sql: string,
    binds: readonly unknown[],
    options: OracleExecuteOptions,
  ): Promise<{ resultSet?: OracleResultSet }>
  async execute(sql: string, binds?: readonly unknown[], options?: OracleExecuteOptions): Promise<unknown> {
    this.driver.calls.push(`execute ${sql}`)
    if (binds === undefined || options === undefined) return {}
    this.driver.executed.push({ sql, binds, options })
    const script = this.driver.script(sql, binds)
    if (script.executeError) throw script.executeError
    const resultSet = new ScriptedResultSet(this, script)
    this.resultSets.push(resultSet)
    return { resultSet }
  }

  async break(): Promise<void> {
    this.driver.calls.push('break')
    const hanging = this.hanging
    if (hanging && !hanging.ignoreBreak)
      hanging.reject(oracleError('ORA-01013', 'user requested cancel of current operation'))
  }

  async ping(): Promise<void> {
    this.driver.calls.push('ping')
  }

  isHealthy(): boolean {
    return this.healthy
  }

  async close(options?: { drop: boolean }): Promise<void> {
    if (this.state === 'closed') throw oracleError('NJS-003', 'invalid or closed connection')
    const drop = options?.drop === true || this.pool === undefined
    this.driver.calls.push(drop ? `drop ${this.id}` : `release ${this.id}`)
    this.state = drop ? 'closed' : 'idle'
  }
}

export class ScriptedResultSet implements OracleResultSet {
  readonly metaData: readonly OracleColumn[]
  closed = false
  #fetches = 0
  #offset = 0

  constructor(
    readonly connection: ScriptedConnection,
    readonly script: StatementScript,
  ) {
    const first = script.rows?.[0] ?? []
    this.metaData =
      script.columns ?? first.map((_, i) => ({ name: `C${i + 1}`, dbType: connection.driver.DB_TYPE_VARCHAR }))
  }

  async getRows(count: number): Promise<unknown[][]> {
    this.connection.driver.calls.push(`getRows ${count}`)
    if (this.closed) throw oracleError('NJS-018', 'invalid ResultSet')
    const at = this.#fetches++
    if (this.script.fetchError?.at === at) throw this.script.fetchError.error
    if (this.script.hangAt === at) {
      await new Promise<void>((resolve, reject) => {
        this.connection.hanging = { resolve, reject, ignoreBreak: this.script.ignoreBreak === true }
      }).finally(() => {
        this.connection.hanging = undefined
      })
    }
    const rows = (this.script.rows ?? []).slice(this.#offset, this.#offset + count)
    this.#offset += rows.length
    return rows.map((r) => [...r])
  }

  async close(): Promise<void> {
    this.connection.driver.calls.push('rs.close')
    this.closed = true
  }
}
