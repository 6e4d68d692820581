/** When a job's metadata and results expire: TRACE_JOB_TTL_SECONDS after it ended. */
import { isTerminal, type JobRecord } from './job-record.ts'

/** True when the job ended more than `ttlSeconds` ago. */
export function isExpired(record: JobRecord, ttlSeconds: number, now: number = Date.now()): boolean {
  if (!isTerminal(record.status) || !record.finished_at) return false
  return Date.parse(record.finished_at) + ttlSeconds * 1000 <= now
}
