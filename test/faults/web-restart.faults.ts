/**
 * A web process restarted (SIGTERM, then started again on the same port) while a job runs and an engineer's
 * browser reads its stream, in each mode: the job ends finished and the browser has every row, no error.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Config } from '../../src/server/config.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../helpers/fixture-db.ts'
import { TEST_REDIS_URL, requireRedis } from '../helpers/services.ts'
import { jobFixtureRows } from '../server/jobs/job-fixture.ts'
import { wholeTraceBody } from '../server/jobs/job-harness.ts'
import { freePort } from '../server/scale-out/private-redis.ts'
import {
  Processes,
  deleteKeys,
  namespace,
  scaleOutConfig,
  stopProcess,
  submitJob,
  waitForJob,
  waitForWorkers,
  type WebProcess,
} from '../server/scale-out/scale-out-harness.ts'
import { childPids, clientRead, figure, since } from './faults-harness.ts'

const LOTS = 600
const HISTORY_PER_LOT = 20
const COUNTS = { history: LOTS * HISTORY_PER_LOT, rejects: LOTS + 9 }
/** Small IN batches: the job runs for many seconds, so it is certainly running across the restart. */
const SLOW = {
  TRACE_IN_BATCH_SIZE: '2',
  DB_SLOW_FETCHMANY_SIZE: '10',
  TRACE_STREAM_BATCH_SIZE: '50',
  TRACE_JOB_PROGRESS_INTERVAL_MS: '20',
}

/**
 * Restarts the web process under a running job and a browser reading it; returns the figures. `workers` are
 * frozen (SIGSTOP) from just before the stop until the new process listens, so the job is certainly unfinished
 * across the restart however fast the machine (an embedded worker frozen past the stop's grace is killed).
 */
async function restartUnderReader(
  procs: Processes,
  config: Config,
  workers: (web: WebProcess) => number[],
): Promise<Record<string, unknown>> {
  const port = await freePort()
  const before = await procs.web(config, port)
  const { job_id } = await submitJob(before.url, wholeTraceBody(['history', 'rejects']))
  await waitForJob(before.url, job_id, (s) => s.status === 'started' && s.progress.chunks >= 2)
  const reading = clientRead(before.url, job_id)
  await waitForJob(before.url, job_id, (s) => s.status === 'started' && s.progress.chunks >= 6)
  const frozen = workers(before)
  for (const pid of frozen) process.kill(pid, 'SIGSTOP')
  const t0 = Date.now()
  let after: WebProcess
  try {
    await stopProcess(before.child, 'SIGTERM')
    after = await procs.web(config, port)
  } finally {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT')
      } catch {
        // Killed by the stopping web process: it was one of its embedded workers.
      }
    }
  }
  const downMs = since(t0)
  const read = await reading
  const readMs = since(t0)
  const done = await waitForJob(after.url, job_id, (s) => s.status !== 'started' && s.status !== 'queued')
  expect(done.status).toBe('finished')
  expect(read.outcomes.filter((o) => o.kind === 'error' || o.kind === 'invalid')).toEqual([])
  expect(read.outcomes.at(-1)).toEqual({ kind: 'complete', mismatches: [] })
  expect(read.rows).toEqual(COUNTS)
  expect(read.resumes).toBeGreaterThanOrEqual(1)
  return {
    rows: done.progress.rows,
    web_down_ms: downMs,
    restart_to_browser_complete_ms: readMs,
    browser_resumes: read.resumes,
  }
}

describe('web restart mid-job, embedded mode', () => {
  const procs = new Processes()
  let dir: string
  let dbPath: string
  beforeAll(() => {
    setLogLevel('error')
    dir = mkdtempSync(join(tmpdir(), 'faults-web-'))
    dbPath = createFixtureDb(jobFixtureRows(LOTS, HISTORY_PER_LOT))
  })
  afterAll(async () => {
    await procs.killAll()
    if (dir) rmSync(dir, { recursive: true, force: true })
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('takes the running job up again in the new process; the browser resumes from its last batch and gets every row', async () => {
    const config = loadConfig({
      ...SLOW,
      MES_DB_PATH: dbPath,
      TRACE_JOB_DIR: join(dir, 'jobs'),
      TRACE_RESULT_DIR: join(dir, 'results'),
      TRACE_WORKER_CONCURRENCY: '1',
      TRACE_JOB_ATTEMPTS: '2',
      DB_POOL_SIZE: '1',
      RATE_LIMIT_JOBS: '1000',
      LOG_LEVEL: 'error',
    })
    figure('web-restart-embedded', await restartUnderReader(procs, config, (web) => childPids(web.pid)))
  })
})

describe.skipIf(await requireRedis())('web restart mid-job, BullMQ mode', () => {
  const ns = namespace('faults-web')
  const procs = new Processes()
  let dbPath: string
  let redis: Redis
  beforeAll(() => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, HISTORY_PER_LOT))
    redis = new Redis(TEST_REDIS_URL)
  })
  afterAll(async () => {
    await procs.killAll()
    if (redis) {
      await deleteKeys(redis, ns.prefix)
      await redis.quit()
    }
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('the worker goes on; the browser resumes from its last batch on the new process and gets every row', async () => {
    const config = scaleOutConfig(ns, { ...SLOW, MES_DB_PATH: dbPath })
    const worker = procs.worker(config)
    await waitForWorkers(config, 1)
    figure('web-restart-bullmq', await restartUnderReader(procs, config, () => [worker.pid as number]))
  })
})
