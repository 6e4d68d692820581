/**
 * Picks the MES source from configuration: PostgreSQL when MES_DATABASE_URL is a postgres:// URL, otherwise
 * the SQLite file at MES_DB_PATH. The PostgreSQL adapter is imported on demand so SQLite users never load pg.
 */
import { existsSync } from 'node:fs'
import type { Config } from '../config.ts'
import type { MesSource } from './mes-source.ts'
import { createSqliteSource } from './sqlite/sqlite-source.ts'

interface PostgresModule {
  createPostgresSource(config: Config): MesSource | Promise<MesSource>
}

// A path constant rather than a literal keeps the import lazy and out of the SQLite-only module graph.
const POSTGRES_MODULE = './postgres/postgres-source.ts'

/** Opens and pings the configured source; throws a message saying what to do when it is unusable. */
export async function openSource(config: Config): Promise<MesSource> {
  const url = config.MES_DATABASE_URL
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new Error('MES_DATABASE_URL must start with postgres:// or postgresql://; unset it to use MES_DB_PATH')
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
