import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import type { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthResponse } from '../../../src/shared/responses.ts'
import { createApp } from '../../../src/server/app.ts'
import { loadConfig } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { createPostgresSource } from '../../../src/server/source/postgres/postgres-source.ts'
import { createSqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { TEST_POSTGRES_URL, TEST_REDIS_URL, requirePostgres, requireRedis } from '../../helpers/services.ts'
import { startJobHarness, type JobHarness } from '../jobs/job-harness.ts'

/** The health report as an admin sees it (without authentication: a client on loopback). */
async function health(app: Hono, client = '127.0.0.1'): Promise<{ code: number; body: HealthResponse }> {
  const res = await app.request('/api/health', {}, { incoming: { socket: { remoteAddress: client } } })
  return { code: res.status, body: (await res.json()) as HealthResponse }
}

/** A TCP port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise((r) => server.close(r))
  return port
}

beforeAll(() => setLogLevel('silent'))

describe('GET /api/health with the embedded job system', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({ lots: 2, historyPerLot: 1, env: { TRACE_WORKER_CONCURRENCY: '2' } })
    // A running server's source is warm (openSource pings it at start); a cold thread can miss the deadline.
    await h.source.ping()
  })
  afterAll(() => h?.close())

  it('answers 200 ok with the database, the live worker processes and this process memory', async () => {
    const { code, body } = await health(h.app)
    expect(code).toBe(200)
    expect(body).toEqual({
      status: 'ok',
      database: { dialect: 'sqlite', reachable: true, latency_ms: expect.any(Number), error: null },
      queue: { mode: 'embedded', workers: 2, accepting: true },
      redis: null,
      process: {
        pid: process.pid,
        rss_bytes: expect.any(Number),
        heap_used_bytes: expect.any(Number),
        uptime_seconds: expect.any(Number),
      },
    })
    // The RSS is this process's own, not a made-up figure: within 50 % of what Node reports right after.
    const rss = process.memoryUsage().rss
    expect(body.process?.rss_bytes).toBeGreaterThan(rss / 2)
    expect(body.process?.rss_bytes).toBeLessThan(rss * 1.5)
    expect(body.process?.heap_used_bytes).toBeLessThan(body.process?.rss_bytes ?? 0)
  })

  it('tells a client that is not an admin the verdict but not the pid, memory or error texts', async () => {
    const { code, body } = await health(h.app, '10.0.0.9')
    expect(code).toBe(200)
    expect(body).not.toHaveProperty('process')
    expect(JSON.stringify(body)).not.toContain(String(process.pid))
    expect(body.database).toMatchObject({ dialect: 'sqlite', reachable: true, error: null })
  })

  it('counts only live workers: one killed worker is missing until it is replaced', async () => {
    const pid = h.jobs.workers()[0].pid as number
    process.kill(pid, 'SIGKILL')
    let seen: HealthResponse | undefined
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      seen = (await health(h.app)).body
      if (seen.queue.workers === 1) break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(seen?.queue.workers).toBe(1)
    while ((await health(h.app)).body.queue.workers !== 2) {
      if (Date.now() > deadline + 50_000) throw new Error('the killed worker was not replaced')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(h.jobs.workers().map((w) => w.pid)).not.toContain(pid)
  }, 120_000)
})

describe('GET /api/health degraded', () => {
  let path: string
  beforeAll(() => {
    path = createFixtureDb({})
  })
  afterAll(() => removeFixtureDb(path))

  it('answers 503 degraded with the same body when the job system is not running', async () => {
    const config = loadConfig({ DB_POOL_SIZE: '1' })
    const source = createSqliteSource(path, config)
    try {
      // A running server's source is warm (openSource pings it at start); a cold thread can miss the deadline.
      await source.ping()
      const { code, body } = await health(createApp({ config, source, staticRoot: `${path}.none` }))
      expect(code).toBe(503)
      expect(body.status).toBe('degraded')
      expect(body.database.reachable).toBe(true)
      expect(body.queue).toEqual({ mode: 'disabled', workers: 0, accepting: false })
    } finally {
      await source.close()
    }
  })

  it('answers within the probe deadline, degraded, when the database ping hangs', async () => {
    const config = loadConfig({ DB_POOL_SIZE: '1' })
    const real = createSqliteSource(path, config)
    const hung: MesSource = { ...real, dialect: 'sqlite', ping: () => new Promise<void>(() => {}) }
    try {
      const t0 = Date.now()
      const { code, body } = await health(createApp({ config, source: hung, staticRoot: `${path}.none` }))
      expect(Date.now() - t0).toBeLessThan(10_000)
      expect(code).toBe(503)
      expect(body.database).toEqual({
        dialect: 'sqlite',
        reachable: false,
        latency_ms: null,
        error: 'no answer within 2000 ms',
      })
    } finally {
      await real.close()
    }
  })

  it('reports an unreachable Redis when REDIS_URL is set but nothing answers there', async () => {
    const config = loadConfig({ DB_POOL_SIZE: '1', REDIS_URL: `redis://127.0.0.1:${await deadPort()}` })
    const source = createSqliteSource(path, config)
    try {
      const { code, body } = await health(createApp({ config, source, staticRoot: `${path}.none` }))
      expect(code).toBe(503)
      expect(body.redis?.reachable).toBe(false)
      expect(body.redis?.error).toMatch(/ECONNREFUSED|connect/i)
    } finally {
      await source.close()
    }
  })
})

describe.skipIf(await requirePostgres())('GET /api/health on PostgreSQL', () => {
  it('pings the server, and reports a server that refuses connections as unreachable', async () => {
    const path = createFixtureDb({})
    const config = loadConfig({ DB_POOL_SIZE: '1', MES_DATABASE_URL: TEST_POSTGRES_URL })
    const up = createPostgresSource(config)
    const down = createPostgresSource(config, { url: `postgres://postgres@127.0.0.1:${await deadPort()}/test` })
    try {
      const ok = await health(createApp({ config, source: up, staticRoot: `${path}.none` }))
      expect(ok.body.database).toEqual({
        dialect: 'postgres',
        reachable: true,
        latency_ms: expect.any(Number),
        error: null,
      })
      const bad = await health(createApp({ config, source: down, staticRoot: `${path}.none` }))
      expect(bad.code).toBe(503)
      expect(bad.body.database.reachable).toBe(false)
      expect(bad.body.database.error).toMatch(/ECONNREFUSED/)
    } finally {
      await up.close()
      await down.close()
      removeFixtureDb(path)
    }
  })
})

describe.skipIf(await requireRedis())('GET /api/health in BullMQ mode', () => {
  it('reports Redis and zero workers, 503, while no worker consumes the queue', async () => {
    const tag = randomBytes(4).toString('hex')
    const prefix = `mes-trace-test-${tag}`
    const path = createFixtureDb({})
    const config = loadConfig({
      DB_POOL_SIZE: '1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TRACE_WORKER_QUEUE: `health-${tag}`,
    })
    const source = createSqliteSource(path, config)
    const jobs = await createBullJobService(config)
    const redis = new Redis(TEST_REDIS_URL)
    try {
      const { code, body } = await health(createApp({ config, source, jobs, staticRoot: `${path}.none` }))
      expect(code).toBe(503)
      expect(body.queue).toEqual({ mode: 'bullmq', workers: 0, accepting: false })
      expect(body.redis).toEqual({ reachable: true, latency_ms: expect.any(Number), error: null })
    } finally {
      await jobs.close()
      await source.close()
      const keys = await redis.keys(`${prefix}:*`)
      if (keys.length) await redis.del(...keys)
      await redis.quit()
      removeFixtureDb(path)
    }
  })
})
