/** What each event domain module provides: its SQL and its row mapper, in one of two shapes. */
import type { SqlQuery } from '../../source/sql.ts'

/** Values a mapper may need that must be the same for every row of one request. */
export interface MapContext {
  /** Epoch ms used as "now" for still-open holds. */
  readonly nowMs: number
}

/** A domain filtered in SQL: one statement per batch of CIDs. */
export interface BatchedDomainQuery {
  readonly kind: 'batched'
  /** The statement for one batch of at most TRACE_IN_BATCH_SIZE CIDs (bound, never inlined). */
  query(cids: readonly string[]): SqlQuery
  /** One statement row → one output row in DOMAIN_COLUMNS order (derived columns computed here). */
  mapRow(row: unknown[], ctx: MapContext): unknown[]
}

/**
 * A domain whose CID membership SQL cannot index (a CID inside a comma-separated list): one streamed
 * statement over the table, each row matched against the requested CIDs in memory.
 */
export interface ScanDomainQuery {
  readonly kind: 'scan'
  /** The one statement, independent of the CIDs. */
  query(): SqlQuery
  /** One statement row → an output row per requested CID it concerns (often none). */
  mapRows(row: unknown[], cids: ReadonlySet<string>, ctx: MapContext): unknown[][]
}

export type DomainQuery = BatchedDomainQuery | ScanDomainQuery
