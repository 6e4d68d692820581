import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthResponse } from '../../../src/shared/responses.ts'
import { createApp } from '../../../src/server/app.ts'
import type { Config } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import { createRedisStores } from '../../../src/server/jobs/bull-setup.ts'
import type { JobService, JobSpec } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createSqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'
import { fixtureCids, jobFixtureRows } from '../jobs/job-fixture.ts'
import { waitUntil } from '../jobs/job-harness.ts'
import { Processes, deleteKeys, namespace, scaleOutConfig, waitForWorkers } from './scale-out-harness.ts'

const LOTS = 600

describe.skipIf(await requireRedis())('two `npm run worker` processes on one queue', () => {
  const ns = namespace('parallel')
  const procs = new Processes()
  let dbPath: string
  let config: Config
  let redis: Redis
  let jobs: JobService
  let workers: ChildProcess[]

  beforeAll(async () => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, 10))
    config = scaleOutConfig(ns, { MES_DB_PATH: dbPath })
    redis = new Redis(TEST_REDIS_URL)
    jobs = await createBullJobService(config)
    workers = [procs.worker(config), procs.worker(config)]
    await waitForWorkers(config, 2)
  })

  afterAll(async () => {
    await procs.killAll()
    await jobs?.close()
    if (redis) {
      await deleteKeys(redis, ns.prefix)
      await redis.quit()
    }
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('reports both workers in /api/health', async () => {
    const source = createSqliteSource(dbPath, config)
    try {
      await source.ping()
      const res = await createApp({ config, source, jobs, staticRoot: `${dbPath}.none` }).request('/api/health')
      const body = (await res.json()) as HealthResponse
      expect(res.status).toBe(200)
      expect(body.queue).toEqual({ mode: 'bullmq', workers: 2, accepting: true })
      expect(body.redis?.reachable).toBe(true)
    } finally {
      await source.close()
    }
  }, 180_000)

  it('runs two jobs at the same time, one on each worker, and both finish', async () => {
    const store = createRedisStores(redis, config).jobs
    const spec: JobSpec = {
      profile: 'query_tool',
      domains: ['history', 'materials', 'rejects'],
      input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
      cid_count: LOTS,
    }
    const a = await jobs.submit(spec)
    const b = await jobs.submit(spec)

    // Both `started` in the same poll, each record naming the worker process that runs it.
    let runners: string[] = []
    await waitUntil(
      async () => {
        const records = await Promise.all([store.get(a.job_id), store.get(b.job_id)])
        if (!records.every((r) => r?.status === 'started')) return false
        runners = records.map((r) => r?.worker ?? '')
        return true
      },
      60_000,
      'both jobs started at once',
    )
    const pids = runners.map((w) => Number(w.split(':').at(-1)))
    expect(new Set(pids).size).toBe(2)
    expect(pids.sort()).toEqual(workers.map((w) => w.pid).sort())

    for (const id of [a.job_id, b.job_id]) {
      await waitUntil(async () => (await jobs.status(id))?.status === 'finished', 120_000, `job ${id} to finish`)
      expect((await jobs.status(id))?.progress.rows).toBe(LOTS * 10 + LOTS * 2 + LOTS + 9)
    }
  }, 180_000)
})
