/**
 * Test support for the PostgreSQL suites: a throw-away schema per test file, a source bound to it under a
 * unique application_name, and views of pg_stat_activity for that name.
 */
import pg from 'pg'
import { loadConfig, type Config } from '../../../../src/server/config.ts'
import {
  createPostgresSource,
  type PostgresSource,
  type PostgresSourceOptions,
} from '../../../../src/server/source/postgres/postgres-source.ts'
import { TEST_POSTGRES_URL } from '../../../helpers/services.ts'

/** A schema of its own plus an admin connection outside the source's pool. */
export interface TestDatabase {
  readonly schema: string
  /** application_name used by the sources this database makes. */
  readonly applicationName: string
  readonly admin: pg.Client
  /** A source on the schema; `env` overrides configuration variables. */
  source(env?: Record<string, string>, options?: PostgresSourceOptions): PostgresSource
  /** pg_stat_activity rows of the sources with this application_name (default: this database's). */
  activity(applicationName?: string): Promise<{ pid: number; state: string | null; query: string }[]>
  /** Closes every source made here, drops the schema and ends the admin connection. */
  dispose(): Promise<void>
}

/** Creates `<prefix>_<random>` and connects an admin client whose search_path is that schema. */
export async function openTestDatabase(prefix: string): Promise<TestDatabase> {
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const schema = `${prefix}_${suffix}`
  const applicationName = `mes-trace-test-${prefix}-${suffix}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  const sources: PostgresSource[] = []
  return {
    schema,
    applicationName,
    admin,
    source(env = {}, options = {}) {
      const config: Config = loadConfig({ MES_DATABASE_URL: TEST_POSTGRES_URL, ...env })
      const source = createPostgresSource(config, { schema, applicationName, ...options })
      sources.push(source)
      return source
    },
    async activity(name = applicationName) {
      const r = await admin.query<{ pid: number; state: string | null; query: string }>(
        'SELECT pid, state, query FROM pg_stat_activity WHERE application_name = $1',
        [name],
      )
      return r.rows
    },
    async dispose() {
      await Promise.all(sources.map((s) => s.close()))
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
    },
  }
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return true
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 50))
  }
}
