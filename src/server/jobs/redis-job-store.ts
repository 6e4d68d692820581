/**
 * Job metadata as Redis keys `<prefix>:trace:job:<id>` (JSON) and `...:input`. Keys of a running job carry
 * a long safety TTL; the terminal write sets TRACE_JOB_TTL_SECONDS on both, so metadata and results expire
 * together.
 */
import type { Redis } from 'ioredis'
import { redisKeys } from '../storage/redis-keys.ts'
import { isTerminal, type JobRecord } from './job-record.ts'
import type { JobInput } from './job-service.ts'
import type { JobStore } from './job-store.ts'

export interface RedisJobStoreOptions {
  readonly prefix: string
  /** TRACE_JOB_TTL_SECONDS: lifetime after the job ends. */
  readonly ttlSeconds: number
  /** Lifetime of a job that has not ended: outlasts a queue wait plus a run. */
  readonly activeTtlSeconds: number
}

/** A job store on an open ioredis client (not closed by the store). */
export function createRedisJobStore(redis: Redis, options: RedisJobStoreOptions): JobStore {
  const keys = redisKeys(options.prefix)
  const ttlOf = (record: JobRecord): number =>
    isTerminal(record.status) ? options.ttlSeconds : options.activeTtlSeconds

  return {
    async create(record, input) {
      await redis
        .multi()
        .set(keys.input(record.job_id), JSON.stringify(input), 'EX', ttlOf(record))
        .set(keys.job(record.job_id), JSON.stringify(record), 'EX', ttlOf(record))
        .exec()
    },
    async get(jobId) {
      const raw = await redis.get(keys.job(jobId))
      return raw ? (JSON.parse(raw) as JobRecord) : undefined
    },
    async put(record) {
      const ttl = ttlOf(record)
      await redis
        .multi()
        .set(keys.job(record.job_id), JSON.stringify(record), 'EX', ttl)
        .expire(keys.input(record.job_id), ttl)
        .expire(keys.cancel(record.job_id), ttl)
        .exec()
    },
    async readInput(jobId) {
      const raw = await redis.get(keys.input(jobId))
      return raw ? (JSON.parse(raw) as JobInput) : undefined
    },
    async delete(jobId) {
      await redis.del(keys.job(jobId), keys.input(jobId), keys.cancel(jobId))
    },
    async *list() {},
  }
}
