/**
 * PostgreSQL faults under a running job: its statement cancelled on the server by someone else
 * (pg_cancel_backend, as a DBA or statement_timeout would), and its connection lost (pg_terminate_backend). Each
 * ends the job with a clear code within seconds, and the worker's pool serves the next job.
 */
import pg from 'pg'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/server/config.ts'
import { createBullJobService } from '../../src/server/jobs/bull-job-service.ts'
import type { JobService, JobSpec } from '../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { createPostgresFixture, type PostgresFixture } from '../helpers/fixture-postgres.ts'
import { TEST_POSTGRES_URL, TEST_REDIS_URL, requirePostgres, requireRedis } from '../helpers/services.ts'
import { fixtureCids, jobFixtureRows } from '../server/jobs/job-fixture.ts'
import { waitUntil } from '../server/jobs/job-harness.ts'
import {
  Processes,
  deleteKeys,
  namespace,
  scaleOutConfig,
  waitForWorkers,
} from '../server/scale-out/scale-out-harness.ts'
import { figure, since } from './faults-harness.ts'

const LOTS = 200
const skip = (await requirePostgres()) || (await requireRedis())
const ended = (s: { status: string } | undefined): boolean =>
  s !== undefined && !['queued', 'started'].includes(s.status)

describe.skipIf(skip)('PostgreSQL faults under a running job', () => {
  const ns = namespace('faults-pg')
  const procs = new Processes()
  const appName = `mes-trace-test-${ns.queue}`
  let fixture: PostgresFixture
  let admin: pg.Client
  let redis: Redis
  let config: Config
  let jobs: JobService
  const spec: JobSpec = {
    profile: 'query_tool',
    domains: ['history'],
    input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
    cid_count: LOTS,
  }

  beforeAll(async () => {
    setLogLevel('error')
    fixture = await createPostgresFixture(jobFixtureRows(LOTS, 10))
    const url = new URL(TEST_POSTGRES_URL)
    url.searchParams.set('application_name', appName)
    url.searchParams.set('options', `-c search_path=${fixture.schema}`)
    config = scaleOutConfig(ns, {
      MES_DATABASE_URL: url.toString(),
      DB_POOL_SIZE: '2',
      DB_SLOW_MAX_CONCURRENT: '1',
      TRACE_IN_BATCH_SIZE: '1000',
    })
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    redis = new Redis(TEST_REDIS_URL)
    jobs = await createBullJobService(config)
    procs.worker(config)
    await waitForWorkers(config, 1)
  })
  afterAll(async () => {
    await procs.killAll()
    await jobs?.close()
    if (redis) {
      await deleteKeys(redis, ns.prefix)
      await redis.quit()
    }
    await admin?.end()
    await fixture?.drop()
  })

  /** Runs a job whose statement waits on a lock, applies `fault` to its backend, and returns how the job ended. */
  async function faultRunningStatement(
    fault: 'pg_cancel_backend' | 'pg_terminate_backend',
  ): Promise<Record<string, unknown>> {
    const locker = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await locker.connect()
    let result: Record<string, unknown>
    try {
      await locker.query('BEGIN')
      await locker.query(`LOCK TABLE ${fixture.schema}.DW_MES_LOTWIPHISTORY IN ACCESS EXCLUSIVE MODE`)
      const { job_id } = await jobs.submit(spec)
      let pid = 0
      await waitUntil(
        async () => {
          const rows = (
            await admin.query<{ pid: number }>(
              "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND wait_event_type = 'Lock'",
              [appName],
            )
          ).rows
          pid = rows[0]?.pid ?? 0
          return pid > 0
        },
        60_000,
        'the job statement to wait on the server',
      )
      const t0 = Date.now()
      await admin.query(`SELECT ${fault}($1)`, [pid])
      await waitUntil(async () => ended(await jobs.status(job_id)), 30_000, `the job to end after ${fault}`)
      const status = await jobs.status(job_id)
      expect(status?.status).toBe('failed')
      expect(status?.error?.code).toBe('EVENTS_FAILED')
      expect(status?.error?.message).toMatch(/history/)
      expect(await redis.keys(`${config.REDIS_KEY_PREFIX}:trace:job:${job_id}:result:*`)).toEqual([])
      result = { fault, job_ended_ms: since(t0), code: status?.error?.code, message: status?.error?.message }
    } finally {
      await locker.query('ROLLBACK')
      await locker.end()
    }
    const t1 = Date.now()
    const { job_id } = await jobs.submit(spec)
    await waitUntil(async () => ended(await jobs.status(job_id)), 60_000, 'the next job')
    const next = await jobs.status(job_id)
    expect(next?.status).toBe('finished')
    expect(next?.progress.rows).toBe(LOTS * 10)
    return { ...result, next_job_finished_ms: since(t1) }
  }

  it('a statement cancelled on the server fails the job with EVENTS_FAILED; the next job finishes', async () => {
    figure('postgres-statement-cancel', await faultRunningStatement('pg_cancel_backend'))
  })

  it('a connection lost mid-statement fails the job with EVENTS_FAILED; the pool reconnects and the next job finishes', async () => {
    figure('postgres-connection-loss', await faultRunningStatement('pg_terminate_backend'))
  })
})
