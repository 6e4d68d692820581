/**
 * Picks the MES source from configuration: Oracle when MES_ORACLE_URL is set, PostgreSQL when MES_DATABASE_URL
 * is a postgres:// URL, otherwise the SQLite file at MES_DB_PATH. The Oracle and PostgreSQL adapters are
 * imported on demand so SQLite users never load their drivers.
 */
import { existsSync } from 'node:fs'
import type { Config } from '../config.ts'
import type { MesSource } from './mes-source.ts'
import { createSqliteSource } from './sqlite/sqlite-source.ts'

interface PostgresModule {
  createPostgresSource(config: Config): MesSource | Promise<MesSource>
}

interface OracleModule {
  openOracleSource(config: Config): Promise<MesSource>
}

// A path constant rather than a literal keeps the import lazy and out of the SQLite-only module graph.
const POSTGRES_MODULE = './postgres/postgres-source.ts'
const ORACLE_MODULE = './oracle/open-oracle-source.ts'

/** True when the configuration points at no warehouse, so the SQLite demo database is used. */
export function usesDemoDatabase(config: Config): boolean {
  return config.MES_DATABASE_URL === undefined && config.MES_ORACLE_URL === undefined
}

/** Opens and pings the configured source; throws a message saying what to do when it is unusable. */
export async function openSource(config: Config): Promise<MesSource> {
  const url = config.MES_DATABASE_URL
  if (config.MES_ORACLE_URL !== undefined) {
    if (url !== undefined) throw new Error('set MES_ORACLE_URL (Oracle) or MES_DATABASE_URL (PostgreSQL), not both')
    const { openOracleSource } = (await import(ORACLE_MODULE)) as OracleModule
    return openOracleSource(config)
  }
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error(
        'MES_DATABASE_URL must start with postgres:// or postgresql:// (for Oracle set MES_ORACLE_URL); ' +
          'unset it to use MES_DB_PATH',
      )
    }
    const { createPostgresSource } = (await import(POSTGRES_MODULE)) as PostgresModule
    return createPostgresSource(config)
  }
  if (!existsSync(config.MES_DB_PATH)) {
    throw new Error(
      `MES database not found at ${config.MES_DB_PATH}: run \`npm run demo:generate\` to create the demo database, or set MES_DB_PATH`,
    )
  }
  const source = createSqliteSource(config.MES_DB_PATH, config)
  try {
    await source.ping()
  } catch (err) {
    await source.close()
    throw new Error(`cannot open the MES database at ${config.MES_DB_PATH}: ${(err as Error).message}`, { cause: err })
  }
  return source
}
