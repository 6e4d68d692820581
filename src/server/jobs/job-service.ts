/**
 * What the web routes need from the job system, whichever queue runs it (embedded worker processes, or
 * BullMQ on Redis). Implementations live beside this file.
 */
import type { Domain, Direction, Profile } from '../../shared/domains.ts'
import type { JobAccepted, JobQueueMode, JobStatusResponse } from '../../shared/responses.ts'
import type { SeedParams } from '../../shared/schemas.ts'
import type { ResultStore } from '../storage/result-store.ts'

/** What a job traces. Large inputs are stored with the job's metadata, never in queue payloads. */
export type JobInput =
  | { readonly kind: 'container_ids'; readonly container_ids: readonly string[]; readonly direction: Direction }
  | {
      readonly kind: 'lineage_ref'
      readonly lineage_query_id: string
      readonly seed_container_ids: readonly string[]
      readonly direction: Direction
    }
  /**
   * The whole trace from what the engineer typed: seed-resolve → lineage → events, all in the worker. The
   * params come parsed and bounded (routes/trace-request.ts) with their direction decided.
   */
  | { readonly kind: 'trace'; readonly seed: SeedParams; readonly direction: Direction }

export interface JobSpec {
  readonly profile: Profile
  readonly domains: readonly Domain[]
  readonly input: JobInput
  /** Number of CIDs when known up front (0 for a whole-trace job until lineage ran). */
  readonly cid_count: number
  /** The signed-in user submitting it (null without authentication): only they may cancel it. */
  readonly owner?: string | null
}

export interface JobService {
  /** Which queue runs the jobs (reported by /api/health). */
  readonly mode: JobQueueMode
  /** Where the workers store results; the stream, result and export routes read from it. */
  readonly results: ResultStore
  /** Queues a job. Throws DomainError SERVICE_UNAVAILABLE with its retry delay when no worker can take it. */
  submit(spec: JobSpec): Promise<JobAccepted>
  /** Whether a worker can take a job now; the events route falls back to its 413/503 rules when not. */
  canAccept(): Promise<boolean>
  /** Workers able to run jobs now (embedded: forked processes idle or busy; BullMQ: workers connected to the queue, on any host). */
  workerCount(): Promise<number>
  /** Current status, or undefined for an unknown or expired id. */
  status(jobId: string): Promise<JobStatusResponse | undefined>
  /** What the job traces (its query), or undefined for an unknown or expired id; exports describe it. */
  input(jobId: string): Promise<JobInput | undefined>
  /** Cancels a queued or running job; false when the id is unknown. */
  cancel(jobId: string): Promise<boolean>
  /** Stops timers, queues and workers; safe to call twice. */
  close(): Promise<void>
}
