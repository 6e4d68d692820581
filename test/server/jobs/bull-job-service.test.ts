import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import type { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordsLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobResultPage } from '../../../src/shared/responses.ts'
import { createApp } from '../../../src/server/app.ts'
import { loadConfig, type Config } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import { createRedisStores } from '../../../src/server/jobs/bull-setup.ts'
import { configEnv } from '../../../src/server/jobs/config-env.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import type { JobService } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { createSqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'
import { jobFixtureRows } from './job-fixture.ts'
import { readNdjson, submitTrace, waitForChunkKeys, waitForStatus, waitUntil, wholeTraceBody } from './job-harness.ts'

const ended = (s: { status: string }): boolean => !['queued', 'started'].includes(s.status)

describe.skipIf(await requireRedis())('BullMQ job service on Redis', () => {
  const tag = randomBytes(4).toString('hex')
  const prefix = `mes-trace-test-${tag}`
  let dbPath: string
  let dir: string
  let config: Config
  let redis: Redis
  let jobs: JobService
  let source: MesSource
  let app: Hono
  let worker: ChildProcess | undefined

  beforeAll(async () => {
    setLogLevel('error')
    dir = mkdtempSync(join(tmpdir(), 'bull-jobs-'))
    // 50 history rows a lot: long enough (about a second on a fast machine) that a test sees the job running.
    dbPath = createFixtureDb(jobFixtureRows(400, 50))
    config = loadConfig({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TRACE_WORKER_QUEUE: `trace-events-test-${tag}`,
      MES_DB_PATH: dbPath,
      TRACE_STREAM_BATCH_SIZE: '50',
      TRACE_IN_BATCH_SIZE: '2',
      DB_SLOW_FETCHMANY_SIZE: '10',
      DB_POOL_SIZE: '1',
      TRACE_JOB_TTL_SECONDS: '120',
      LOG_LEVEL: 'error',
    })
    redis = new Redis(TEST_REDIS_URL)
    jobs = await createBullJobService(config)
    source = createSqliteSource(dbPath, config)
    app = createApp({ config, source, jobs, staticRoot: join(dir, 'no-client') })
  })

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker?.once('exit', r))
      worker.kill('SIGTERM')
      await exited
    }
    await jobs?.close()
    await source?.close()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
    await redis.quit()
    removeFixtureDb(dbPath)
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses submissions with 503 while no worker consumes the queue', async () => {
    expect(await jobs.canAccept()).toBe(false)
    const res = await app.request('/api/trace/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(wholeTraceBody()),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBeTruthy()
  })

  it('runs a job in a standalone `npm run worker` process with results in Redis under the key layout, never in the queue', async () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/server/jobs/worker-main.ts'], {
      env: { ...process.env, ...configEnv(config) },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    await waitUntil(() => jobs.canAccept(), 60_000, 'the worker to connect')

    const { job_id, stream_url } = await submitTrace(app)
    const lines = await readNdjson(await app.request(`${stream_url}?shape=compact`))
    expect(lines[0]).toEqual({
      type: 'meta',
      job_id,
      profile: 'query_tool',
      domains: ['history', 'materials', 'rejects'],
    })
    expect(lines.at(-1)).toEqual({
      type: 'complete',
      total_records: 21209,
      counts: { history: 20000, materials: 800, rejects: 409 },
    })
    const history = lines
      .filter((l): l is RecordsLine => l.type === 'records' && l.domain === 'history')
      .flatMap((l) => l.rows ?? [])
    const page = (await (
      await app.request(`/api/trace/job/${job_id}/result?domain=history&offset=1990&limit=20&shape=compact`)
    ).json()) as JobResultPage
    expect(page.data).toEqual(history.slice(1990, 2010))
    const status = await waitForStatus(app, job_id, ended)
    expect(status.status).toBe('finished')

    const chunkKey = `${prefix}:trace:job:${job_id}:result:history:0`
    for (const key of [chunkKey, `${prefix}:trace:job:${job_id}:result:meta`, `${prefix}:trace:job:${job_id}`]) {
      const ttl = await redis.ttl(key)
      expect(ttl, key).toBeGreaterThan(0)
      expect(ttl, key).toBeLessThanOrEqual(120)
    }
    // skipMetasUpdate: an inspecting queue must not reset the queue's options (the events stream cap) in Redis.
    const queue = new Queue(config.TRACE_WORKER_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: `${prefix}:bull`,
      skipMetasUpdate: true,
    })
    try {
      const job = await queue.getJob(job_id)
      expect(job?.data).toEqual({ job_id })
      expect(job?.returnvalue ?? null).toBeNull()
      expect(await redis.hget(`${prefix}:bull:${config.TRACE_WORKER_QUEUE}:meta`, 'opts.maxLenEvents')).toBe('100')
    } finally {
      await queue.close()
    }
  })

  it('cancels a running job within 2 seconds and deletes its chunk keys', async () => {
    const { job_id } = await submitTrace(app)
    await waitForChunkKeys(redis, prefix, job_id)
    // The job takes under a second: it could end before the cancel reaches it. Frozen until the cancel is
    // published, the worker resumes with the cancel waiting and most of the job left.
    worker?.kill('SIGSTOP')
    const t0 = Date.now()
    let answer: Response | Promise<Response>
    try {
      answer = app.request(`/api/trace/job/${job_id}`, { method: 'DELETE' })
      await waitUntil(
        async () => (await redis.exists(`${prefix}:trace:job:${job_id}:cancel`)) === 1,
        5_000,
        'the cancel key',
      )
    } finally {
      worker?.kill('SIGCONT')
    }
    const body = (await (await answer).json()) as { status: string }
    expect(body.status).toBe('cancelled')
    expect(Date.now() - t0).toBeLessThan(2000)
    await waitUntil(
      async () => (await redis.keys(`${prefix}:trace:job:${job_id}:result*`)).length === 0,
      5_000,
      'chunk deletion',
    )
  })

  it('streams one full_result line for a job the old system stored under ...:result', async () => {
    const jobId = newJobId()
    await redis.set(`${prefix}:trace:job:${jobId}:result`, JSON.stringify({ stage: 'events', results: {} }), 'EX', 60)
    const lines = await readNdjson(await app.request(`/api/trace/job/${jobId}/stream`))
    expect(lines).toEqual([{ type: 'full_result', data: { stage: 'events', results: {} } }])
  })
})

describe.skipIf(await requireRedis())('BullMQ job whose worker is killed', () => {
  const tag = randomBytes(4).toString('hex')
  const prefix = `mes-trace-test-${tag}`
  const workers: ChildProcess[] = []
  let dbPath: string
  let redis: Redis
  const services: JobService[] = []

  const configFor = (attempts: number, queue: string): Config =>
    loadConfig({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TRACE_WORKER_QUEUE: queue,
      TRACE_JOB_ATTEMPTS: String(attempts),
      MES_DB_PATH: dbPath,
      TRACE_STREAM_BATCH_SIZE: '50',
      TRACE_IN_BATCH_SIZE: '1',
      DB_SLOW_FETCHMANY_SIZE: '10',
      DB_POOL_SIZE: '1',
      LOG_LEVEL: 'silent',
    })

  const startWorker = (config: Config): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/jobs/short-lock-worker.ts'], {
      env: { ...process.env, ...configEnv(config) },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    workers.push(child)
    return child
  }

  const workerCount = async (config: Config): Promise<number> => {
    const queue = new Queue(config.TRACE_WORKER_QUEUE, {
      connection: { url: TEST_REDIS_URL },
      prefix: `${prefix}:bull`,
      skipMetasUpdate: true,
    })
    try {
      return await queue.getWorkersCount()
    } finally {
      await queue.close()
    }
  }

  /** Submits a slow job, waits until a worker runs it, and SIGKILLs that worker. */
  const killMidJob = async (jobs: JobService, store: ReturnType<typeof createRedisStores>['jobs']): Promise<string> => {
    const { job_id } = await jobs.submit({
      profile: 'query_tool',
      domains: ['history', 'materials', 'rejects'],
      input: {
        kind: 'container_ids',
        container_ids: Array.from({ length: 600 }, (_, i) => (i + 1).toString(16).padStart(16, '0')),
        direction: 'forward',
      },
      cid_count: 600,
    })
    await waitForChunkKeys(redis, prefix, job_id)
    const pid = Number((await store.get(job_id))?.worker?.split(':').at(-1))
    expect(workers.map((w) => w.pid)).toContain(pid)
    process.kill(pid, 'SIGKILL')
    return job_id
  }

  beforeAll(() => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(600, 50))
    redis = new Redis(TEST_REDIS_URL)
  })
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL')
    for (const s of services) await s.close()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length) await redis.del(...keys)
    } while (cursor !== '0')
    await redis.quit()
    removeFixtureDb(dbPath)
  })

  it('retries the job on another worker when TRACE_JOB_ATTEMPTS allows, and it finishes', async () => {
    const config = configFor(2, `retry-${tag}`)
    const jobs = await createBullJobService(config)
    services.push(jobs)
    startWorker(config)
    startWorker(config)
    await waitUntil(async () => (await workerCount(config)) >= 2, 60_000, 'two workers')
    const store = createRedisStores(redis, config).jobs
    const jobId = await killMidJob(jobs, store)
    const done = await waitUntil(
      async () => (await jobs.status(jobId))?.status === 'finished',
      60_000,
      'the retried job',
    ).then(() => jobs.status(jobId))
    expect(done?.progress.rows).toBe(30000 + 1200 + 609)
    expect((await store.get(jobId))?.attempt).toBe(2)
  })

  it('fails the job with WORKER_DIED when no attempt is left, never leaving it started', async () => {
    const config = configFor(1, `once-${tag}`)
    const jobs = await createBullJobService(config)
    services.push(jobs)
    startWorker(config)
    startWorker(config)
    await waitUntil(async () => (await workerCount(config)) >= 2, 60_000, 'two workers')
    const store = createRedisStores(redis, config).jobs
    const jobId = await killMidJob(jobs, store)
    await waitUntil(async () => (await jobs.status(jobId))?.status === 'failed', 30_000, 'the failure')
    const status = await jobs.status(jobId)
    expect(status?.error?.code).toBe('WORKER_DIED')
    expect(await redis.keys(`${prefix}:trace:job:${jobId}:result:*`)).toEqual([])
  })
})
