/**
 * When a job whose run was interrupted runs again, the embedded counterpart of BullMQ's stalled-job retry: a
 * run lost with its worker (killed, crashed, or a server that died under it) uses up one of TRACE_JOB_ATTEMPTS;
 * a run handed back by a worker shutting down cleanly does not. The next run starts over: it deletes the
 * chunks of the interrupted one before writing its own (run-job.ts), and stream readers follow it (job-stream-lines.ts).
 */
import { queuedProgress, type JobRecord } from './job-record.ts'

/** Whether a job whose run died may run once more under `attempts` (TRACE_JOB_ATTEMPTS). */
export function canRetry(record: JobRecord, attempts: number): boolean {
  return record.attempt < attempts
}

/**
 * The record of a job going back to the queue. `lost`: its run died and the next one is a new attempt;
 * otherwise the run was handed back and the next one keeps the attempt number.
 */
export function requeuedRecord(record: JobRecord, lost: boolean): JobRecord {
  return {
    ...record,
    status: 'queued',
    attempt: lost ? record.attempt + 1 : record.attempt,
    worker: null,
    started_at: null,
    finished_at: null,
    error: null,
    progress: queuedProgress(record.cid_count),
  }
}
