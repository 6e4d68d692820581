/** Options every pipeline stage takes: the runtime configuration and an optional cancel signal. */
import type { Config } from '../config.ts'

export interface StageOptions {
  /** Batch sizes, limits and timeouts (TRACE_IN_BATCH_SIZE, DB_SLOW_FETCHMANY_SIZE, LINEAGE_*, SEED_*). */
  readonly config: Config
  /** Aborting stops the running query, closes its cursor and rejects with the abort reason. */
  readonly signal?: AbortSignal
}
