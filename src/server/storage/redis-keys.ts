/** The Redis key layout of a job, in one place: `<prefix>:trace:job:<id>` and keys under it. */
import type { Domain } from '../../shared/domains.ts'
import { assertJobId } from './job-id-guard.ts'

/** Key builders for one REDIS_KEY_PREFIX. */
export interface RedisKeys {
  /** The job's metadata (JSON). */
  job(jobId: string): string
  /** The job's input (JSON), kept out of the queue payload. */
  input(jobId: string): string
  /** Set when a cancel was requested; the worker checks it between batches. */
  cancel(jobId: string): string
  /** Pub/sub channel carrying job ids to cancel, so a running job stops without waiting for its next batch. */
  cancelChannel(): string
  /** The old system's whole-result key. */
  legacyResult(jobId: string): string
  resultMeta(jobId: string): string
  aggregation(jobId: string): string
  /** The defect analysis state (JSON) of an MSD job. */
  analysis(jobId: string): string
  /** The genealogy (JSON) a whole-trace job kept. */
  lineage(jobId: string): string
  chunk(jobId: string, domain: Domain, idx: number): string
}

/** Builds the key layout for a prefix. */
export function redisKeys(prefix: string): RedisKeys {
  const job = (id: string): string => {
    assertJobId(id)
    return `${prefix}:trace:job:${id}`
  }
  return {
    job,
    input: (id) => `${job(id)}:input`,
    cancel: (id) => `${job(id)}:cancel`,
    cancelChannel: () => `${prefix}:trace:cancel`,
    legacyResult: (id) => `${job(id)}:result`,
    resultMeta: (id) => `${job(id)}:result:meta`,
    aggregation: (id) => `${job(id)}:result:aggregation`,
    analysis: (id) => `${job(id)}:result:analysis`,
    lineage: (id) => `${job(id)}:result:lineage`,
    chunk: (id, domain, idx) => `${job(id)}:result:${domain}:${idx}`,
  }
}
