/**
 * The one interface to the MES database. SQLite (demo default) and PostgreSQL implement it; Oracle, the
 * production warehouse, will too. Everything above it streams batches and never sees a driver.
 */
import type { SqlQuery } from './sql.ts'

/** A batch of rows as arrays, in `columns` order. Timestamps are ISO 8601 strings (`YYYY-MM-DDTHH:mm:ss`). */
export interface Batch {
  readonly columns: readonly string[]
  readonly rows: unknown[][]
}

export interface StreamOptions {
  /** Rows per batch; default DB_SLOW_FETCHMANY_SIZE. */
  readonly fetchSize?: number
  /** Aborting stops the query and closes the cursor; the iterator then throws the abort reason. */
  readonly signal?: AbortSignal
}

export type SourceDialect = 'sqlite' | 'postgres' | 'oracle'

export interface MesSource {
  readonly dialect: SourceDialect
  /**
   * Streams a statement's rows in batches. The cursor is closed on every path: exhausted, `break`
   * (iterator `return`), a thrown error, or the signal aborting.
   */
  stream(query: SqlQuery, options?: StreamOptions): AsyncGenerator<Batch, void, undefined>
  /** Runs a statement expected to return few rows and collects them. */
  all(query: SqlQuery, options?: StreamOptions): Promise<Batch>
  /** Cheap reachability check for /api/health. */
  ping(): Promise<void>
  /** Closes every connection and worker; safe to call twice. */
  close(): Promise<void>
}
