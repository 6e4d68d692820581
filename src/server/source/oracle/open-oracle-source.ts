/**
 * Opens the Oracle source for a server or worker that is starting: it must reach the warehouse, log in, and
 * read the seven DW_MES_* tables in MES_SCHEMA, or the process stops at once with the variable to check and
 * the driver's error code, instead of failing on the first trace.
 */
import type { Config } from '../../config.ts'
import { MES_TABLES } from '../mes-schema.ts'
import { raw, sql } from '../sql.ts'
import { createOracleSource, type OracleSource, type OracleSourceOptions } from './oracle-source.ts'
import { describeOracleFailure } from './oracle-settings.ts'

/** Creates the source and proves it usable; throws an explained error (and closes the source) when it is not. */
export async function openOracleSource(config: Config, options: OracleSourceOptions = {}): Promise<OracleSource> {
  const source = createOracleSource(config, options)
  try {
    await source.ping().catch((err: unknown) => {
      throw describeOracleFailure(source.settings, 'connect to', err)
    })
    for (const table of MES_TABLES) {
      // Parsed and executed without reading a row: proves the table exists in MES_SCHEMA and is granted.
      await source.all(sql`SELECT 1 FROM ${raw(table.name)} WHERE 1 = 0`).catch((err: unknown) => {
        throw describeOracleFailure(source.settings, `read ${table.name} in`, err)
      })
    }
    return source
  } catch (err) {
    await source.close()
    throw err
  }
}
