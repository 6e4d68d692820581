import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/server/config.ts'
import { createBullJobService } from '../../../src/server/jobs/bull-job-service.ts'
import type { StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobStatusResponse } from '../../../src/shared/responses.ts'
import { createRedisStores } from '../../../src/server/jobs/bull-setup.ts'
import { jobStreamLines } from '../../../src/server/jobs/job-stream-lines.ts'
import { pieceText } from '../../helpers/stream-pieces.ts'
import type { JobService } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'
import { fixtureCids, jobFixtureRows } from '../jobs/job-fixture.ts'
import { waitForChunkKeys, waitUntil } from '../jobs/job-harness.ts'
import { Processes, deleteKeys, namespace, scaleOutConfig, waitForWorkers } from './scale-out-harness.ts'

const LOTS = 600
// 50 history rows a lot: the job runs long enough (seconds) to be killed mid-run even on a fast machine.
const HISTORY_PER_LOT = 50
const ROWS = LOTS * HISTORY_PER_LOT + LOTS * 2 + LOTS + 9

describe.skipIf(await requireRedis())('a `npm run worker` process killed mid-job', () => {
  const namespaces = [namespace('killed-retry'), namespace('killed-once')]
  const procs = new Processes()
  const services: JobService[] = []
  let dbPath: string
  let redis: Redis

  beforeAll(() => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, HISTORY_PER_LOT))
    redis = new Redis(TEST_REDIS_URL)
  })

  afterAll(async () => {
    await procs.killAll()
    for (const s of services) await s.close()
    if (redis) {
      for (const ns of namespaces) await deleteKeys(redis, ns.prefix)
      await redis.quit()
    }
    if (dbPath) removeFixtureDb(dbPath)
  })

  /** Two workers (stalled detection from TRACE_WORKER_LOCK_MS / TRACE_WORKER_STALLED_INTERVAL_MS); a job SIGKILLed mid-run. */
  async function killRunner(config: Config): Promise<{ jobs: JobService; jobId: string; killedPid: number }> {
    const jobs = await createBullJobService(config)
    services.push(jobs)
    const workers = [procs.worker(config), procs.worker(config)]
    await waitForWorkers(config, 2)
    const { job_id } = await jobs.submit({
      profile: 'query_tool',
      domains: ['history', 'materials', 'rejects'],
      input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
      cid_count: LOTS,
    })
    await waitForChunkKeys(redis, config.REDIS_KEY_PREFIX, job_id)
    const pid = Number((await createRedisStores(redis, config).jobs.get(job_id))?.worker?.split(':').at(-1))
    expect(workers.map((w) => w.pid)).toContain(pid)
    process.kill(pid, 'SIGKILL')
    return { jobs, jobId: job_id, killedPid: pid }
  }

  it('retries the job once on the surviving worker with TRACE_JOB_ATTEMPTS=2; it finishes whole and a reader gets no error', async () => {
    const config = scaleOutConfig(namespaces[0], { MES_DB_PATH: dbPath, TRACE_JOB_ATTEMPTS: '2' })
    const { jobs, jobId, killedPid } = await killRunner(config)
    // A reader that started before the kill follows the job into its retry.
    const first = await jobs.status(jobId)
    const lines: StreamLine[] = []
    const reading = (async () => {
      const options = {
        results: jobs.results,
        status: () => jobs.status(jobId),
        jobId,
        shape: 'compact' as const,
        signal: new AbortController().signal,
      }
      for await (const line of jobStreamLines(options, first as JobStatusResponse))
        lines.push(JSON.parse(pieceText(line)) as StreamLine)
    })()
    await waitUntil(async () => (await jobs.status(jobId))?.status === 'finished', 90_000, 'the retried job to finish')
    await reading
    expect(lines.filter((l) => l.type === 'error')).toEqual([])
    expect(lines.at(-1)).toMatchObject({ type: 'complete', total_records: ROWS })
    expect((await jobs.status(jobId))?.progress.rows).toBe(ROWS)
    const record = await createRedisStores(redis, config).jobs.get(jobId)
    expect(record?.attempt).toBe(2)
    expect(record?.worker).not.toContain(`:${killedPid}`)
  }, 180_000)

  it('fails the job with WORKER_DIED with TRACE_JOB_ATTEMPTS=1, within the stalled-detection time, never stuck started', async () => {
    const config = scaleOutConfig(namespaces[1], { MES_DB_PATH: dbPath, TRACE_JOB_ATTEMPTS: '1' })
    const { jobs, jobId } = await killRunner(config)
    // Lock 5 s + stalled check every 2 s: ended well within 45 s even on a loaded machine.
    await waitUntil(async () => (await jobs.status(jobId))?.status !== 'started', 45_000, 'the job to leave started')
    const status = await jobs.status(jobId)
    expect(status?.status).toBe('failed')
    expect(status?.error?.code).toBe('WORKER_DIED')
    expect(await redis.keys(`${config.REDIS_KEY_PREFIX}:trace:job:${jobId}:result:*`)).toEqual([])
  }, 180_000)
})
