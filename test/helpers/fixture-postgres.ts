/**
 * The PostgreSQL twin of fixture-db.ts: the same hand-written rows loaded into a throw-away schema of the
 * test database (TEST_DATABASE_URL), with the demo DDL and indexes. Used to prove that pipeline SQL runs
 * unchanged on both dialects.
 */
import pg from 'pg'
import { MES_TABLES, createIndexStatements, createTableStatements } from '../../src/server/source/mes-schema.ts'
import type { FixtureRows, MesTableName } from './fixture-db.ts'
import { TEST_POSTGRES_URL } from './services.ts'

export interface PostgresFixture {
  /** The schema holding the tables; pass it to createPostgresSource's `schema` option. */
  readonly schema: string
  /** Runs admin SQL in the schema (e.g. DROP TABLE to make a query fail). */
  exec(sqlText: string): Promise<void>
  /** Drops the schema and disconnects; safe to call twice. */
  drop(): Promise<void>
}

const ROWS_PER_INSERT = 500

/** Creates `fx_<pid>_<random>` with every DW_MES_* table, loads the rows, then builds the indexes. */
export async function createPostgresFixture(rows: FixtureRows): Promise<PostgresFixture> {
  const schema = `fx_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  for (const ddl of createTableStatements('postgres')) await admin.query(ddl)
  for (const [table, list] of Object.entries(rows) as [MesTableName, FixtureRows[MesTableName]][]) {
    const spec = MES_TABLES.find((t) => t.name === table)
    if (!spec) throw new Error(`fixture: unknown table ${table}`)
    const columns = spec.columns.map(([c]) => c)
    const all = list ?? []
    for (const row of all) {
      const unknown = Object.keys(row).filter((c) => !columns.includes(c))
      if (unknown.length) throw new Error(`fixture: ${table} has no column ${unknown.join(', ')}`)
    }
    for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
      const part = all.slice(i, i + ROWS_PER_INSERT)
      const values = part.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      await admin.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`,
        part.flatMap((row) => columns.map((c) => row[c] ?? null)),
      )
    }
  }
  for (const ddl of createIndexStatements()) await admin.query(ddl)
  let dropped: Promise<void> | undefined
  return {
    schema,
    async exec(sqlText) {
      await admin.query(sqlText)
    },
    drop() {
      dropped ??= admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(
        () => admin.end(),
        async (err: unknown) => {
          await admin.end()
          throw err
        },
      )
      return dropped
    },
  }
}
