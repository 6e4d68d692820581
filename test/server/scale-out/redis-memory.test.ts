import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import type { JobService, JobSpec } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { fixtureCids, jobFixtureRows } from '../jobs/job-fixture.ts'
import { waitUntil } from '../jobs/job-harness.ts'
import { requireRedisServerBinary, startPrivateRedis, type PrivateRedis } from './private-redis.ts'
import { Processes, namespace, scaleOutConfig, waitForWorkers } from './scale-out-harness.ts'

const JOBS = 50
const LOTS = 20
/** Rows of one job's result: 20 lots × (10 history + 2 materials + 1 reject) + 9 extra rejects of lot 1. */
const ROWS = LOTS * 13 + 9
const TTL_SECONDS = 3

/**
 * What may stay in Redis once 50 jobs ended and their TTL passed, with nothing else changed:
 * - no job record, input, cancel key, result chunk, meta or aggregation (all expire TRACE_JOB_TTL_SECONDS
 *   after the end; the test checks none is left);
 * - BullMQ's finished jobs, at most KEEP_JOBS (200) and only those finished within TRACE_JOB_TTL_SECONDS of
 *   the last completion: here at most 50 small hashes (payload: the job id), well under 1 KB each;
 * - the queue's events stream, capped near 100 entries (approximate trimming keeps up to one more node of
 *   100), a few hundred bytes per entry.
 * That is under 100 KB; 256 KB leaves room for allocator rounding. Keeping the results instead would add
 * 50 × ~40 KB = 2 MB, eight times the bound, so a leak of results or of per-job state fails this test.
 */
const GROWTH_BOUND_BYTES = 256 * 1024

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory')
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1])
}

async function jobKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    // SCAN also expires the keys it walks over whose TTL has passed.
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:trace:job:*`, 'COUNT', 1000)
    cursor = next
    found.push(...keys)
  } while (cursor !== '0')
  return found
}

describe.skipIf(await requireRedisServerBinary())('Redis memory after 50 jobs', () => {
  const ns = namespace('memory')
  const procs = new Processes()
  let server: PrivateRedis
  let dbPath: string
  let config: Config
  let redis: Redis
  let jobs: JobService

  const spec: JobSpec = {
    profile: 'query_tool',
    domains: ['history', 'materials', 'rejects'],
    input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
    cid_count: LOTS,
  }

  /** Submits `n` jobs and waits until every one has been seen `finished`. */
  async function runJobs(n: number): Promise<void> {
    const ids = new Set<string>()
    for (let i = 0; i < n; i++) ids.add((await jobs.submit(spec)).job_id)
    const pending = new Set(ids)
    await waitUntil(
      async () => {
        for (const id of pending) {
          const status = await jobs.status(id)
          if (status?.status === 'finished') {
            expect(status.progress.rows).toBe(ROWS)
            pending.delete(id)
          } else if (!status || (status.status !== 'queued' && status.status !== 'started')) {
            throw new Error(`job ${id} ended ${status?.status ?? 'expired unseen'}: ${JSON.stringify(status?.error)}`)
          }
        }
        return pending.size === 0
      },
      180_000,
      `${n} jobs to finish`,
    )
  }

  /** Waits until the TTL removed every per-job key, then reads used_memory. */
  async function settledMemory(): Promise<number> {
    await waitUntil(async () => (await jobKeys(redis, ns.prefix)).length === 0, 30_000, 'per-job keys to expire')
    return usedMemory(redis)
  }

  beforeAll(async () => {
    setLogLevel('error')
    server = await startPrivateRedis()
    dbPath = createFixtureDb(jobFixtureRows(LOTS, 10))
    config = scaleOutConfig(ns, {
      REDIS_URL: server.url,
      MES_DB_PATH: dbPath,
      TRACE_IN_BATCH_SIZE: '10',
      DB_SLOW_FETCHMANY_SIZE: '100',
      TRACE_JOB_TTL_SECONDS: String(TTL_SECONDS),
    })
    redis = new Redis(server.url)
    jobs = await createBullJobService(config)
    procs.worker(config)
    procs.worker(config)
    await waitForWorkers(config, 2)
  })

  afterAll(async () => {
    await procs.killAll()
    await jobs?.close()
    await redis?.quit()
    await server?.stop()
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('returns to its size before the jobs, within a small bound, once their TTL passed', async () => {
    // A first round loads BullMQ's Lua scripts into the server's script cache, which would otherwise count as growth.
    await runJobs(2)
    const before = await settledMemory()

    await runJobs(JOBS)
    const after = await settledMemory()

    expect(after - before).toBeLessThan(GROWTH_BOUND_BYTES)
    const bull = `${ns.prefix}:bull:${ns.queue}`
    expect(await redis.xlen(`${bull}:events`)).toBeLessThanOrEqual(200)
    expect(await redis.zcard(`${bull}:completed`)).toBeLessThanOrEqual(JOBS + 2)
  }, 300_000)
})
