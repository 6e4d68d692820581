/**
 * GET /api/health: whether this web process can serve traces. 200 with `status: ok` when the MES database
 * answered and at least one worker can take a job; otherwise 503 with the same body, `status: degraded`, so a
 * load balancer or monitor needs only the status code and an operator reads the body for the reason. The
 * process figures and error texts are shown to admins only.
 */
import { Hono } from 'hono'
import type { HealthResponse } from '../../shared/responses.ts'
import type { AppDeps } from '../app-deps.ts'
import { identityOf } from '../http/identity.ts'
import type { JobService } from '../jobs/job-service.ts'
import { probeDatabase, probeRedis, withDeadline } from './health-checks.ts'

/** The health router, mounted at /api/health. */
export function healthRoutes(deps: Pick<AppDeps, 'config' | 'source' | 'jobs'>): Hono {
  return new Hono().get('/', async (c) => {
    const report = await healthReport(deps)
    const body = identityOf(c).admin ? report : publicReport(report)
    c.header('Cache-Control', 'no-store')
    return c.json(body, body.status === 'ok' ? 200 : 503)
  })
}

/** Runs every probe at once and assembles the report. */
export async function healthReport(deps: Pick<AppDeps, 'config' | 'source' | 'jobs'>): Promise<HealthResponse> {
  const redisUrl = deps.config.REDIS_URL
  const [database, queue, redis] = await Promise.all([
    probeDatabase(deps.source),
    queueReport(deps.jobs),
    redisUrl === undefined ? Promise.resolve(null) : probeRedis(redisUrl),
  ])
  const memory = process.memoryUsage()
  const ok = database.reachable && queue.accepting && queue.workers > 0
  return {
    status: ok ? 'ok' : 'degraded',
    database: { dialect: deps.source.dialect, ...database },
    queue,
    redis,
    process: {
      pid: process.pid,
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      uptime_seconds: Math.round(process.uptime()),
    },
  }
}

/**
 * What anyone may see: the verdict and which parts are up. Process figures and the probes' error texts
 * (a driver's or Redis client's own messages) are for admins.
 */
export function publicReport(report: HealthResponse): HealthResponse {
  const { status, database, queue, redis } = report
  return { status, database: { ...database, error: null }, queue, redis: redis && { ...redis, error: null } }
}

async function queueReport(jobs: JobService | undefined): Promise<HealthResponse['queue']> {
  if (!jobs) return { mode: 'disabled', workers: 0, accepting: false }
  // BullMQ's connections wait for Redis indefinitely: a queue that cannot answer in time reports no worker.
  const [workers, accepting] = await Promise.all([
    withDeadline(jobs.workerCount()).catch(() => 0),
    withDeadline(jobs.canAccept()).catch(() => false),
  ])
  return { mode: jobs.mode, workers, accepting }
}
