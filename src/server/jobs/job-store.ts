/**
 * Where job metadata lives so it survives a server restart: JSON files under TRACE_JOB_DIR (embedded) or
 * Redis keys with a TTL (BullMQ). One writer at a time per job: the server until a worker takes the job,
 * then that worker until it reports the end (or dies, when the server writes the verdict).
 */
import type { JobRecord } from './job-record.ts'
import type { JobInput } from './job-service.ts'

export interface JobStore {
  /** Stores a new job and its input (kept apart: inputs can hold 100 K+ ids, records are rewritten often). */
  create(record: JobRecord, input: JobInput): Promise<void>
  get(jobId: string): Promise<JobRecord | undefined>
  /** Replaces the record. A terminal record starts the TTL clock where the store has one. */
  put(record: JobRecord): Promise<void>
  readInput(jobId: string): Promise<JobInput | undefined>
  /** Removes record and input; safe when absent. */
  delete(jobId: string): Promise<void>
  /** Every stored record (file store); the Redis store lists nothing, its keys expire by themselves. */
  list(): AsyncIterable<JobRecord>
}
