/**
 * The Oracle twin of fixture-db.ts: the same hand-written rows in a throw-away schema (a user created for the
 * fixture) of the TEST_ORACLE_URL database, with the demo DDL (DATE timestamps, CLOB job lists) and indexes.
 * The account of TEST_ORACLE_URL needs CREATE USER, DROP USER and the ANY TABLE/INDEX privileges (SYSTEM of a
 * disposable container has them).
 */
import { randomBytes } from 'node:crypto'
import { MES_TABLES, createIndexStatements, createTableStatements } from '../../src/server/source/mes-schema.ts'
import { loadOracleDriver, type OracleConnection } from '../../src/server/source/oracle/oracle-driver.ts'
import { SESSION_DATE_FORMAT } from '../../src/server/source/oracle/oracle-pool.ts'
import type { OracleSettings } from '../../src/server/source/oracle/oracle-settings.ts'
import type { FixtureRows, MesTableName } from './fixture-db.ts'

export interface OracleFixture {
  /** Settings for createOracleSource: the TEST_ORACLE_URL account, reading the fixture's schema. */
  readonly settings: OracleSettings
  /** Runs admin SQL in the schema (e.g. DROP TABLE to make a query fail). */
  exec(sqlText: string): Promise<void>
  /** Drops the schema and disconnects; safe to call twice. */
  drop(): Promise<void>
}

/** `user/password@connect-string` → its parts. */
export function parseOracleTestUrl(url: string): { user: string; password: string; connectString: string } {
  const match = /^([^/@]+)\/(.*)@([^@]+)$/.exec(url)
  if (match === null) throw new Error('TEST_ORACLE_URL must read user/password@host:port/service')
  return { user: match[1], password: match[2], connectString: match[3] }
}

/** node-oracledb calls the fixture needs beyond the adapter's interface. */
interface AdminCalls {
  executeMany(
    sql: string,
    rows: unknown[][],
    options: { bindDefs: { type: unknown; maxSize?: number }[] },
  ): Promise<unknown>
  commit(): Promise<void>
}

/** Creates user `FX_<pid>_<random>` with every DW_MES_* table, loads the rows, then builds the indexes. */
export async function createOracleFixture(url: string, rows: FixtureRows): Promise<OracleFixture> {
  const account = parseOracleTestUrl(url)
  const schema = `FX_${process.pid}_${randomBytes(3).toString('hex').toUpperCase()}`
  const driver = await loadOracleDriver()
  const numberType = (driver as unknown as { DB_TYPE_NUMBER: unknown }).DB_TYPE_NUMBER
  const admin: OracleConnection = await driver.getConnection(account)
  await admin.execute(`CREATE USER ${schema} IDENTIFIED BY "P${randomBytes(12).toString('hex')}"`)
  await admin.execute(`GRANT UNLIMITED TABLESPACE TO ${schema}`)
  await admin.execute(`ALTER SESSION SET CURRENT_SCHEMA = ${schema}`)
  for (const ddl of createTableStatements('oracle')) await admin.execute(ddl)
  for (const [table, list] of Object.entries(rows) as [MesTableName, FixtureRows[MesTableName]][]) {
    const spec = MES_TABLES.find((t) => t.name === table)
    if (!spec) throw new Error(`fixture: unknown table ${table}`)
    const all = list ?? []
    if (all.length === 0) continue
    for (const row of all) {
      const unknown = Object.keys(row).filter((c) => !spec.columns.some(([name]) => name === c))
      if (unknown.length) throw new Error(`fixture: ${table} has no column ${unknown.join(', ')}`)
    }
    const values = spec.columns.map(([, type], i) =>
      type === 'timestamp' ? `TO_DATE(:${i + 1}, '${SESSION_DATE_FORMAT}')` : `:${i + 1}`,
    )
    const insert = `INSERT INTO ${table} (${spec.columns.map(([c]) => c).join(', ')}) VALUES (${values.join(', ')})`
    // Bind types are declared, not inferred from the first row, so a NULL there does not fix a column's type.
    const bindDefs = spec.columns.map(([, type]) =>
      type === 'int' || type === 'real' ? { type: numberType } : { type: driver.DB_TYPE_VARCHAR, maxSize: 4000 },
    )
    await (admin as unknown as AdminCalls).executeMany(
      insert,
      all.map((row) => spec.columns.map(([c]) => row[c] ?? null)),
      { bindDefs },
    )
  }
  await (admin as unknown as AdminCalls).commit()
  for (const ddl of createIndexStatements()) await admin.execute(ddl)
  let dropped: Promise<void> | undefined
  return {
    settings: { ...account, schema },
    async exec(sqlText) {
      await admin.execute(sqlText)
    },
    drop() {
      dropped ??= admin
        .execute(`DROP USER ${schema} CASCADE`)
        .then(() => undefined)
        .finally(() => admin.close())
      return dropped
    },
  }
}
