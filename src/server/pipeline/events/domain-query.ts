/** What each event domain module provides: its SQL for one batch of CIDs and its row mapper. */
import type { SqlQuery } from '../../source/sql.ts'

/** Values a mapper may need that must be the same for every row of one request. */
export interface MapContext {
  /** Epoch ms used as "now" for still-open holds. */
  readonly nowMs: number
}

export interface DomainQuery {
  /** The statement for one batch of at most TRACE_IN_BATCH_SIZE CIDs (bound, never inlined). */
  query(cids: readonly string[]): SqlQuery
  /** One statement row → one output row in DOMAIN_COLUMNS order (derived columns computed here). */
  mapRow(row: unknown[], ctx: MapContext): unknown[]
}
