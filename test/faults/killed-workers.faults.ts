/** kill -9 of the worker running a job, 10 times in each mode: every job retried and finished whole, readers unharmed. */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StreamLine } from '../../src/shared/ndjson-lines.ts'
import type { JobStatusResponse } from '../../src/shared/responses.ts'
import { createBullJobService } from '../../src/server/jobs/bull-job-service.ts'
import { createRedisStores } from '../../src/server/jobs/bull-setup.ts'
import { createFileJobStore } from '../../src/server/jobs/file-job-store.ts'
import type { JobService } from '../../src/server/jobs/job-service.ts'
import { jobStreamLines } from '../../src/server/jobs/job-stream-lines.ts'
import type { StoredGzip } from '../../src/server/storage/chunk-gzip.ts'
import { pieceText } from '../helpers/stream-pieces.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../helpers/services.ts'
import { fixtureCids, jobFixtureRows } from '../server/jobs/job-fixture.ts'
import {
  readNdjson,
  startJobHarness,
  submitTrace,
  waitForChunkKeys,
  waitForStatus,
  waitUntil,
  wholeTraceBody,
  type JobHarness,
} from '../server/jobs/job-harness.ts'
import {
  Processes,
  deleteKeys,
  namespace,
  scaleOutConfig,
  waitForWorkers,
} from '../server/scale-out/scale-out-harness.ts'
import { figure, since, spread } from './faults-harness.ts'

const KILLS = 10
const LOTS = 120
const HISTORY_PER_LOT = 20
const COUNTS = { history: LOTS * HISTORY_PER_LOT, rejects: LOTS + 9 }
const TOTAL = COUNTS.history + COUNTS.rejects
const ended = (s: { status: string }): boolean => !['queued', 'started'].includes(s.status)

/** Parses one stream line as the generator yields it. */
function parse(line: string | Uint8Array | StoredGzip): StreamLine {
  return JSON.parse(pieceText(line)) as StreamLine
}

describe('kill -9 of an embedded worker mid-job, 10 times', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({
      lots: LOTS,
      historyPerLot: HISTORY_PER_LOT,
      env: { TRACE_IN_BATCH_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '10', TRACE_JOB_ATTEMPTS: '2' },
    })
  })
  afterAll(async () => h?.close())

  it('retries every killed job on a new worker; each finishes whole and its reader gets every row, no error', async () => {
    const recoveries: number[] = []
    for (let i = 0; i < KILLS; i++) {
      const { job_id, stream_url } = await submitTrace(h.app, wholeTraceBody(['history', 'rejects']))
      const reading = readNdjson(await h.app.request(stream_url))
      await waitForStatus(h.app, job_id, (s) => s.status === 'started' && s.progress.chunks > 2)
      const pid = h.jobs.workers().find((w) => w.job_id === job_id)?.pid
      expect(pid).toBeTypeOf('number')
      process.kill(pid as number, 'SIGKILL')
      const t0 = Date.now()
      const done = await waitForStatus(h.app, job_id, ended, 120_000)
      recoveries.push(since(t0))
      expect(done.status).toBe('finished')
      expect(done.progress.rows).toBe(TOTAL)
      expect((await createFileJobStore(h.config.TRACE_JOB_DIR).get(job_id))?.attempt).toBe(2)
      const lines = await reading
      expect(lines.filter((l) => l.type === 'error')).toEqual([])
      expect(lines.at(-1)).toEqual({ type: 'complete', total_records: TOTAL, counts: COUNTS })
      expect(
        lines.filter((l) => l.type === 'records').reduce((n, l) => n + (l.type === 'records' ? l.count : 0), 0),
      ).toBe(TOTAL)
    }
    figure('kill9-embedded', {
      kills: KILLS,
      finished: recoveries.length,
      rows_per_job: TOTAL,
      kill_to_finished_ms: spread(recoveries),
    })
  })
})

describe.skipIf(await requireRedis())('kill -9 of a `npm run worker` process mid-job, 10 times', () => {
  const ns = namespace('faults-kill')
  const procs = new Processes()
  let dbPath: string
  let redis: Redis
  let jobs: JobService

  beforeAll(async () => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, HISTORY_PER_LOT))
    redis = new Redis(TEST_REDIS_URL)
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

  it('retries every killed job on the surviving worker; each finishes whole and its reader gets every row, no error', async () => {
    // Short locks: a killed worker's job is noticed in about 3 s instead of 30.
    const config = scaleOutConfig(ns, {
      MES_DB_PATH: dbPath,
      TRACE_JOB_ATTEMPTS: '2',
      TRACE_IN_BATCH_SIZE: '2',
      TRACE_WORKER_LOCK_MS: '3000',
      TRACE_WORKER_STALLED_INTERVAL_MS: '1000',
    })
    jobs = await createBullJobService(config)
    const store = createRedisStores(redis, config).jobs
    procs.worker(config)
    procs.worker(config)
    await waitForWorkers(config, 2)
    const recoveries: number[] = []
    for (let i = 0; i < KILLS; i++) {
      const { job_id } = await jobs.submit({
        profile: 'query_tool',
        domains: ['history', 'rejects'],
        input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
        cid_count: LOTS,
      })
      await waitForChunkKeys(redis, config.REDIS_KEY_PREFIX, job_id)
      const first = (await jobs.status(job_id)) as JobStatusResponse
      const lines: StreamLine[] = []
      const options = {
        results: jobs.results,
        status: () => jobs.status(job_id),
        jobId: job_id,
        shape: 'compact' as const,
        signal: new AbortController().signal,
      }
      const reading = (async () => {
        for await (const line of jobStreamLines(options, first)) lines.push(parse(line))
      })()
      const pid = Number((await store.get(job_id))?.worker?.split(':').at(-1))
      process.kill(pid, 'SIGKILL')
      const t0 = Date.now()
      // The killed worker's replacement, as systemd would restart it.
      procs.worker(config)
      await waitUntil(
        async () => ended((await jobs.status(job_id)) ?? { status: 'gone' }),
        120_000,
        `job ${job_id} after the kill`,
      )
      recoveries.push(since(t0))
      const done = await jobs.status(job_id)
      expect(done?.status).toBe('finished')
      expect(done?.progress.rows).toBe(TOTAL)
      expect((await store.get(job_id))?.attempt).toBe(2)
      await reading
      expect(lines.filter((l) => l.type === 'error')).toEqual([])
      expect(lines.at(-1)).toEqual({ type: 'complete', total_records: TOTAL, counts: COUNTS })
      await waitForWorkers(config, 2)
    }
    figure('kill9-bullmq', {
      kills: KILLS,
      finished: recoveries.length,
      rows_per_job: TOTAL,
      lock_ms: 3000,
      kill_to_finished_ms: spread(recoveries),
    })
  })
})
