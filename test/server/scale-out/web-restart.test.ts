import type { ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CompleteLine, StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobResultPage } from '../../../src/shared/responses.ts'
import type { Config } from '../../../src/server/config.ts'
import { createRedisStores } from '../../../src/server/jobs/bull-setup.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'
import { jobFixtureRows } from '../jobs/job-fixture.ts'
import { ndjsonLines, readNdjson, wholeTraceBody } from '../jobs/job-harness.ts'
import {
  Processes,
  deleteKeys,
  jobStatus,
  namespace,
  scaleOutConfig,
  stopProcess,
  submitJob,
  waitForJob,
  waitForWorkers,
  type WebProcess,
} from './scale-out-harness.ts'

const LOTS = 1000
const COUNTS = { history: LOTS * 10, materials: LOTS * 2, rejects: LOTS + 9 }
const TOTAL = COUNTS.history + COUNTS.materials + COUNTS.rejects

const isComplete = (line: StreamLine | undefined): line is CompleteLine => line?.type === 'complete'

describe.skipIf(await requireRedis())('web processes in BullMQ mode', () => {
  const ns = namespace('web-restart')
  const procs = new Processes()
  let dbPath: string
  let config: Config
  let redis: Redis
  let worker: ChildProcess

  beforeAll(async () => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, 10))
    // A long lock: the worker is paused during the restart (below) and must keep its job, not have it retried.
    config = scaleOutConfig(ns, { MES_DB_PATH: dbPath, TRACE_WORKER_LOCK_MS: '120000' })
    redis = new Redis(TEST_REDIS_URL)
    worker = procs.worker(config)
    await waitForWorkers(config, 1)
  })

  afterAll(async () => {
    await procs.killAll()
    if (redis) {
      await deleteKeys(redis, ns.prefix)
      await redis.quit()
    }
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('loses no job across a web restart: the running job goes on and the new process serves its status and stream', async () => {
    const before = await procs.web(config)
    const { job_id, stream_url } = await submitJob(before.url, wholeTraceBody())
    await waitForJob(before.url, job_id, (s) => s.status === 'started' && s.progress.chunks >= 2)
    // A client is reading the stream when the restart happens; the old process cuts it on its way out.
    const reading = (async () => {
      let lines = 0
      try {
        for await (const _ of ndjsonLines(await fetch(`${before.url}${stream_url}`))) lines += 1
      } catch {
        // The connection is cut by the stopping server: what this test expects.
      }
      return lines
    })()
    const store = createRedisStores(redis, config).jobs
    const runner = (await store.get(job_id))?.worker

    // The worker is frozen for the length of the restart so the job is certainly still running after it,
    // however fast or loaded the machine; it resumes on its own once continued.
    worker.kill('SIGSTOP')
    let after: WebProcess
    try {
      await stopProcess(before.child, 'SIGTERM')
      expect(before.child.exitCode).toBe(0)
      expect(await reading).toBeGreaterThan(0)
      after = await procs.web(config)
      expect((await jobStatus(after.url, job_id)).status).toBe('started')
    } finally {
      worker.kill('SIGCONT')
    }
    const lines = await readNdjson(await fetch(`${after.url}${stream_url}`))
    expect(lines[0]).toEqual({
      type: 'meta',
      job_id,
      profile: 'query_tool',
      domains: ['history', 'materials', 'rejects'],
    })
    expect(lines.at(-1)).toEqual({ type: 'complete', total_records: TOTAL, counts: COUNTS })
    const done = await waitForJob(after.url, job_id, (s) => s.status !== 'started')
    expect(done.status).toBe('finished')
    // The same run went on: no second attempt, the same worker process.
    const record = await store.get(job_id)
    expect(record?.attempt).toBe(1)
    expect(record?.worker).toBe(runner)
  }, 180_000)

  it('serves a job submitted to one web process from another, with the same lines and pages', async () => {
    const [one, other] = await Promise.all([procs.web(config), procs.web(config)])
    const { job_id, stream_url } = await submitJob(one.url, wholeTraceBody())
    const whileRunning = readNdjson(await fetch(`${other.url}${stream_url}`))
    await waitForJob(other.url, job_id, (s) => s.status === 'finished')
    const fromOther = await whileRunning
    const fromOne = await readNdjson(await fetch(`${one.url}${stream_url}`))
    expect(isComplete(fromOther.at(-1))).toBe(true)
    expect(fromOther).toEqual(fromOne)

    const page = async (url: string): Promise<JobResultPage> =>
      (await (
        await fetch(`${url}/api/trace/job/${job_id}/result?domain=history&offset=4321&limit=100`)
      ).json()) as JobResultPage
    const [a, b] = await Promise.all([page(one.url), page(other.url)])
    expect(a.total).toBe(COUNTS.history)
    expect(a.data).toHaveLength(100)
    expect(b).toEqual(a)
  }, 180_000)
})
