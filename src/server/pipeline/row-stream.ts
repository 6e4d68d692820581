/** Reading a statement row by row, for results too large to collect. */
import type { MesSource } from '../source/mes-source.ts'
import type { SqlQuery } from '../source/sql.ts'
import type { StageOptions } from './stage-options.ts'

/**
 * Runs a statement and hands each row to `fn` as its batch arrives, so memory holds one fetched batch
 * (DB_SLOW_FETCHMANY_SIZE rows) and whatever `fn` keeps. The cursor is closed by the `for await` on every
 * path, `fn` throwing included.
 */
export async function forEachRow(
  source: MesSource,
  query: SqlQuery,
  opts: StageOptions,
  fn: (row: unknown[]) => void,
): Promise<void> {
  for await (const batch of source.stream(query, {
    fetchSize: opts.config.DB_SLOW_FETCHMANY_SIZE,
    signal: opts.signal,
  })) {
    for (const row of batch.rows) fn(row)
  }
}
