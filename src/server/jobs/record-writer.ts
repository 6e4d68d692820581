/**
 * The worker's single writer of a job record: progress changes often, so it is merged in memory and
 * persisted at most every `intervalMs`; writes are serialised so a late progress write can never land on
 * top of the final one.
 */
import type { JobProgress } from '../../shared/responses.ts'
import { log } from '../logger.ts'
import type { JobRecord } from './job-record.ts'
import type { JobStore } from './job-store.ts'

export interface RecordWriter {
  /** The record as last changed (not necessarily persisted yet). */
  readonly current: JobRecord
  /** Merges progress fields; persisted by the next throttled write. */
  progress(patch: Partial<JobProgress>): void
  /** Replaces the record and persists it now, after any write in flight. */
  put(record: JobRecord): Promise<void>
  /** Stops throttled writes; pending ones are dropped in favour of a final `put`. */
  stop(): void
}

/** A writer starting from `record`; progress writes are throttled to one per `intervalMs`. */
export function createRecordWriter(store: JobStore, record: JobRecord, intervalMs: number): RecordWriter {
  let current = record
  let chain: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const enqueue = (write: () => Promise<void>): Promise<void> => {
    chain = chain.then(write, write)
    return chain
  }

  return {
    get current() {
      return current
    },
    progress(patch) {
      current = { ...current, progress: { ...current.progress, ...patch } }
      if (timer || stopped) return
      timer = setTimeout(() => {
        timer = undefined
        if (stopped) return
        enqueue(() => store.put(current)).catch((err: unknown) =>
          log.warn('job progress not saved', {
            job_id: current.job_id,
            error: err instanceof Error ? err.message : String(err),
          }),
        )
      }, intervalMs)
      timer.unref()
    },
    put(next) {
      current = next
      return enqueue(() => store.put(next))
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
