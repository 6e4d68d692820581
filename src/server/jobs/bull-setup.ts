/**
 * What the BullMQ web side and worker side share: the connection, the key prefix (under REDIS_KEY_PREFIX so
 * one Redis can host several installations), the queue with its Redis-bounding options, and the stores.
 * Queue payloads carry only the job id; rows and inputs live in the stores.
 */
import { Queue, type ConnectionOptions } from 'bullmq'
import { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import { createRedisResultStore } from '../storage/redis-result-store.ts'
import type { ResultStore } from '../storage/result-store.ts'
import { createRedisJobStore } from './redis-job-store.ts'
import type { JobStore } from './job-store.ts'

/** The queue payload: nothing but the id. */
export interface TraceJobData {
  readonly job_id: string
}

/** Events kept in the queue's events stream: enough for listeners that lag briefly, bounded in memory. */
const EVENTS_MAX_LEN = 100
/** Finished BullMQ jobs kept for inspection, at most this many (and at most TRACE_JOB_TTL_SECONDS old). */
const KEEP_JOBS = 200

/** REDIS_URL, which BullMQ mode requires. */
export function redisUrl(config: Config): string {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set')
  return config.REDIS_URL
}

/** BullMQ's connection options; BullMQ requires no per-request retry limit on its blocking connections. */
export function bullConnection(config: Config): ConnectionOptions {
  return { url: redisUrl(config), maxRetriesPerRequest: null }
}

/** BullMQ's own key prefix, under REDIS_KEY_PREFIX. */
export function bullPrefix(config: Config): string {
  return `${config.REDIS_KEY_PREFIX}:bull`
}

/** Removal of finished BullMQ jobs by age and count, so Redis does not grow with the job history. */
export function keepJobs(config: Config): { age: number; count: number } {
  return { age: config.TRACE_JOB_TTL_SECONDS, count: KEEP_JOBS }
}

/** The queue TRACE_WORKER_QUEUE with a capped events stream and finished-job removal. */
export function createTraceQueue(config: Config): Queue<TraceJobData> {
  return new Queue<TraceJobData>(config.TRACE_WORKER_QUEUE, {
    connection: bullConnection(config),
    prefix: bullPrefix(config),
    streams: { events: { maxLen: EVENTS_MAX_LEN } },
    defaultJobOptions: {
      // A job that throws is not retried (its error is recorded in the job record); a killed worker's job is
      // retried through stalled-job detection instead (maxStalledCount on the worker).
      attempts: 1,
      removeOnComplete: keepJobs(config),
      removeOnFail: keepJobs(config),
    },
  })
}

/** An ioredis client for the stores and the cancel channel. */
export function createRedisClient(config: Config): Redis {
  return new Redis(redisUrl(config), { lazyConnect: false })
}

/** How long keys of a job that has not ended live: a queue wait plus a run plus the result TTL, at least a day. */
export function activeTtlSeconds(config: Config): number {
  return Math.max(86_400, 2 * config.TRACE_JOB_TIMEOUT_SECONDS + config.TRACE_JOB_TTL_SECONDS)
}

/** The job and result stores on `redis`. */
export function createRedisStores(redis: Redis, config: Config): { jobs: JobStore; results: ResultStore } {
  return {
    jobs: createRedisJobStore(redis, {
      prefix: config.REDIS_KEY_PREFIX,
      ttlSeconds: config.TRACE_JOB_TTL_SECONDS,
      activeTtlSeconds: activeTtlSeconds(config),
    }),
    results: createRedisResultStore(redis, {
      prefix: config.REDIS_KEY_PREFIX,
      writeTtlSeconds: config.TRACE_JOB_TIMEOUT_SECONDS + config.TRACE_JOB_TTL_SECONDS,
    }),
  }
}
