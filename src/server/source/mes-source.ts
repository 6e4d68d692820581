/**
 * The one interface to the MES database. SQLite (demo default), PostgreSQL and Oracle (the production
 * warehouse) implement it. Everything above it streams batches and never sees a driver.
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

/** A snapshot of a source's connection pool, for tests and /api/health. */
export interface SourceStats {
  /** Connections currently open (SQLite: worker threads, one connection each). */
  readonly connections: number
  /** Connections leased to a running statement or stream. */
  readonly busy: number
  /** Statements waiting for a free connection. */
  readonly queued: number
  /** Server-side cursors not yet closed. */
  readonly openCursors: number
}

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
  /** Pool snapshot; optional because not every driver can report it. */
  stats?(): SourceStats
}
