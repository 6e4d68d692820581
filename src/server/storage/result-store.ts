/**
 * Where a job's results live: chunks already encoded as the NDJSON `records` lines they are sent as, plus a
 * small result meta (columns, chunk and row counts per domain) that readers poll. Two implementations: files
 * under TRACE_RESULT_DIR (embedded default) and Redis keys (BullMQ mode).
 */
import type { Domain } from '../../shared/domains.ts'
import type { WarningLine } from '../../shared/ndjson-lines.ts'

/** One domain's progress in the result. */
export interface DomainResultMeta {
  readonly columns: readonly string[]
  /** Chunks written so far (final once `done`). Chunk `i` holds rows `[i*chunk_size, (i+1)*chunk_size)`. */
  readonly chunks: number
  /** Rows written so far (final once `done`). */
  readonly count: number
  readonly done: boolean
}

/** The result's table of contents, rewritten by the worker at each domain start/end and at the end. */
export interface ResultMeta {
  readonly job_id: string
  /** Which attempt wrote these chunks; a reader that sees it change knows the job restarted. */
  readonly attempt: number
  /** Rows per chunk (every chunk but a domain's last is full), so offset → chunk is one division. */
  readonly chunk_size: number
  /** Domains in the order they were started. */
  readonly order: readonly Domain[]
  readonly domains: Readonly<Partial<Record<Domain, DomainResultMeta>>>
  readonly aggregation: boolean
  readonly failed_domains: WarningLine['failed_domains']
  /** Every domain ended and the aggregation (if any) is stored. */
  readonly complete: boolean
}

export interface ResultStore {
  /**
   * Stores chunk `idx` of a domain: one NDJSON line, newline included, as one gzip member (or plain, as results
   * written before compression were). Visible to readers only when whole.
   */
  writeChunk(jobId: string, domain: Domain, idx: number, line: Uint8Array): Promise<void>
  /** The stored bytes (gzip or plain, see chunk-gzip.ts), or undefined when not (yet) written or already deleted. */
  readChunk(jobId: string, domain: Domain, idx: number): Promise<Buffer | undefined>
  writeMeta(meta: ResultMeta): Promise<void>
  readMeta(jobId: string): Promise<ResultMeta | undefined>
  /** Stores the encoded `aggregation` line, newline included. */
  writeAggregation(jobId: string, line: Uint8Array): Promise<void>
  readAggregation(jobId: string): Promise<Buffer | undefined>
  /** Stores the defect analysis state (JSON) that answers the analysis filters of a finished MSD job. */
  writeAnalysis(jobId: string, data: Uint8Array): Promise<void>
  readAnalysis(jobId: string): Promise<Buffer | undefined>
  /** Stores the genealogy (JSON `JobLineage`) a whole-trace job kept from its lineage walk. */
  writeLineage(jobId: string, data: Uint8Array): Promise<void>
  readLineage(jobId: string): Promise<Buffer | undefined>
  /** How many of chunks `0 … count - 1` of a domain are stored, without reading them. */
  storedChunks(jobId: string, domain: Domain, count: number): Promise<number>
  /** A result stored by the old system as one value (its JSON text), if any. */
  readLegacy(jobId: string): Promise<Buffer | undefined>
  /** Starts the expiry clock of a finished result (Redis TTL); the file store leaves it to the sweeper. */
  expire(jobId: string, ttlSeconds: number): Promise<void>
  /** Removes everything stored for the job; safe when nothing is. */
  delete(jobId: string): Promise<void>
  /** Job ids that have results on disk (file store), for the sweeper's orphan check; empty for Redis. */
  listJobIds(): AsyncIterable<string>
  close(): Promise<void>
}
