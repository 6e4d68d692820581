/**
 * A fixture database opened through the real source adapter of a dialect, with a test configuration:
 *
 *   for (const dialect of await fixtureDialects()) …
 *   const fx = await openFixture(dialect, { DW_MES_CONTAINER: [...] }, { TRACE_IN_BATCH_SIZE: '2' })
 *   await resolveSeeds(fx.source, input, { config: fx.config })
 *   await fx.close()   // closes the source and deletes the database
 *
 * SQLite fixtures live in a temp file (fixture-db.ts), PostgreSQL ones in a throw-away schema
 * (fixture-postgres.ts), Oracle ones in a throw-away user of TEST_ORACLE_URL (fixture-oracle.ts).
 */
import Database from 'better-sqlite3'
import { describe, it } from 'vitest'
import { loadConfig, type Config } from '../../src/server/config.ts'
import type { MesSource } from '../../src/server/source/mes-source.ts'
import { createPostgresSource } from '../../src/server/source/postgres/postgres-source.ts'
import { createOracleSource } from '../../src/server/source/oracle/oracle-source.ts'
import { createSqliteSource } from '../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb, type FixtureRows } from './fixture-db.ts'
import { createOracleFixture } from './fixture-oracle.ts'
import { createPostgresFixture } from './fixture-postgres.ts'
import { TEST_ORACLE_URL, TEST_POSTGRES_URL, requireOracle, requirePostgres } from './services.ts'

export type FixtureDialect = 'sqlite' | 'postgres' | 'oracle'

export interface FixtureSource {
  readonly dialect: FixtureDialect
  readonly source: MesSource
  readonly config: Config
  /** Runs admin SQL on the fixture database (e.g. `DROP TABLE …` to make queries fail). */
  exec(sqlText: string): Promise<void>
  /** Closes the source, then removes the database; safe to call twice. */
  close(): Promise<void>
}

/**
 * SQLite always; PostgreSQL too when reachable (requirePostgres: skipped with a warning locally, required in CI);
 * Oracle when TEST_ORACLE_URL is set. Without it the file gets a skipped `on oracle` suite, so the report shows
 * the Oracle run as skipped rather than leaving it out.
 */
export async function fixtureDialects(): Promise<FixtureDialect[]> {
  const dialects: FixtureDialect[] = (await requirePostgres()) ? ['sqlite'] : ['sqlite', 'postgres']
  if (!requireOracle()) return [...dialects, 'oracle']
  describe.skip('on oracle (TEST_ORACLE_URL unset)', () => {
    it('runs this contract suite against Oracle', () => {})
  })
  return dialects
}

/** Builds the database and opens it; `env` overrides configuration (defaults plus DB_POOL_SIZE=2). */
export async function openFixture(
  dialect: FixtureDialect,
  rows: FixtureRows,
  env: Record<string, string> = {},
): Promise<FixtureSource> {
  const config = loadConfig({ DB_POOL_SIZE: '2', MES_DATABASE_URL: TEST_POSTGRES_URL, ...env })
  let closed: Promise<void> | undefined
  if (dialect === 'sqlite') {
    const path = createFixtureDb(rows)
    const source = createSqliteSource(path, config)
    return {
      dialect,
      source,
      config,
      async exec(sqlText) {
        const db = new Database(path)
        try {
          db.exec(sqlText)
        } finally {
          db.close()
        }
      },
      close() {
        closed ??= source.close().then(() => removeFixtureDb(path))
        return closed
      },
    }
  }
  if (dialect === 'oracle') {
    const fixture = await createOracleFixture(TEST_ORACLE_URL ?? '', rows)
    const source = createOracleSource(config, { settings: fixture.settings })
    return {
      dialect,
      source,
      config,
      exec: (sqlText) => fixture.exec(sqlText),
      close() {
        closed ??= source.close().then(() => fixture.drop())
        return closed
      },
    }
  }
  const fixture = await createPostgresFixture(rows)
  const source = createPostgresSource(config, {
    schema: fixture.schema,
    applicationName: `mes-trace-fixture-${fixture.schema}`,
  })
  return {
    dialect,
    source,
    config,
    exec: (sqlText) => fixture.exec(sqlText),
    close() {
      closed ??= source.close().then(() => fixture.drop())
      return closed
    },
  }
}
