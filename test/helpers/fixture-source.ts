/**
 * A fixture database opened through the real SQLite adapter, with a test configuration:
 *
 *   const fx = openFixtureSource({ DW_MES_CONTAINER: [...] }, { TRACE_IN_BATCH_SIZE: '2' })
 *   await resolveSeeds(fx.source, input, { config: fx.config })
 *   await fx.close()   // closes the source and deletes the database
 */
import { loadConfig, type Config } from '../../src/server/config.ts'
import type { MesSource } from '../../src/server/source/mes-source.ts'
import { createSqliteSource } from '../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb, type FixtureRows } from './fixture-db.ts'

export interface FixtureSource {
  readonly source: MesSource
  readonly config: Config
  readonly path: string
  /** Closes the source, then removes the database; safe to call twice. */
  close(): Promise<void>
}

/** Builds the database and opens it; `env` overrides configuration (defaults plus DB_POOL_SIZE=2). */
export function openFixtureSource(rows: FixtureRows, env: Record<string, string> = {}): FixtureSource {
  const path = createFixtureDb(rows)
  const config = loadConfig({ DB_POOL_SIZE: '2', ...env })
  const source = createSqliteSource(path, config)
  return {
    source,
    config,
    path,
    async close() {
      await source.close()
      removeFixtureDb(path)
    },
  }
}
