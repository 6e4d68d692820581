import pg from 'pg'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import type { JobService, JobSpec } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createPostgresFixture, type PostgresFixture } from '../../helpers/fixture-postgres.ts'
import { TEST_POSTGRES_URL, TEST_REDIS_URL, requirePostgres, requireRedis } from '../../helpers/services.ts'
import { fixtureCids, jobFixtureRows } from '../jobs/job-fixture.ts'
import { waitUntil } from '../jobs/job-harness.ts'
import { Processes, deleteKeys, namespace, scaleOutConfig, waitForWorkers } from './scale-out-harness.ts'

const LOTS = 200
const skip = (await requirePostgres()) || (await requireRedis())

interface Backend {
  pid: number
  state: string | null
  wait_event_type: string | null
}

describe.skipIf(skip)('cancelling a job that runs on PostgreSQL', () => {
  const ns = namespace('pg-cancel')
  const procs = new Processes()
  // The worker's connections carry this name, so pg_stat_activity shows exactly them.
  const appName = `mes-trace-test-${ns.queue}`
  let fixture: PostgresFixture
  let admin: pg.Client
  let redis: Redis
  let config: Config
  let jobs: JobService

  const backends = async (): Promise<Backend[]> =>
    (
      await admin.query<Backend>(
        'SELECT pid, state, wait_event_type FROM pg_stat_activity WHERE application_name = $1',
        [appName],
      )
    ).rows

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

  it('cancels the running statement on the server within about 2 s, and the worker pool stays healthy', async () => {
    // A lock held by another session keeps the job's history statement running on the server until cancelled.
    const locker = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await locker.connect()
    try {
      await locker.query('BEGIN')
      await locker.query(`LOCK TABLE ${fixture.schema}.DW_MES_LOTWIPHISTORY IN ACCESS EXCLUSIVE MODE`)
      const { job_id } = await jobs.submit(spec)
      await waitUntil(
        async () => (await backends()).some((b) => b.state === 'active' && b.wait_event_type === 'Lock'),
        60_000,
        'the job statement to wait on the server',
      )
      const [blocked] = (await backends()).filter((b) => b.state === 'active')

      const t0 = Date.now()
      expect(await jobs.cancel(job_id)).toBe(true)
      await waitUntil(
        async () => !(await backends()).some((b) => b.state === 'active'),
        5_000,
        'the statement to leave pg_stat_activity',
      )
      expect(Date.now() - t0).toBeLessThan(3_000)
      expect((await jobs.status(job_id))?.status).toBe('cancelled')
      // The backend either went back to the pool idle or was closed; it runs nothing.
      const after = (await backends()).find((b) => b.pid === blocked.pid)
      expect(after === undefined || after.state === 'idle').toBe(true)
    } finally {
      await locker.query('ROLLBACK')
      await locker.end()
    }

    const { job_id } = await jobs.submit(spec)
    await waitUntil(
      async () => (await jobs.status(job_id))?.status !== 'queued' && (await jobs.status(job_id))?.status !== 'started',
      60_000,
      'the next job',
    )
    const status = await jobs.status(job_id)
    expect(status?.status).toBe('finished')
    expect(status?.progress.rows).toBe(LOTS * 10)
    const left = await backends()
    expect(left.length).toBeLessThanOrEqual(2)
    expect(left.every((b) => b.state === 'idle')).toBe(true)
  }, 180_000)
})
