/**
 * Redis restarted mid-job (a server of the test's own, no persistence, as deploy/ recommends: everything in it is
 * lost). The job must end in a final state that tells the truth: finished only with its whole result, else
 * failed or gone; never stuck `started`, never a partial result served as complete. Then the system works again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StreamLine } from '../../src/shared/ndjson-lines.ts'
import type { JobStatusResponse } from '../../src/shared/responses.ts'
import { createBullJobService } from '../../src/server/jobs/bull-job-service.ts'
import type { JobService, JobSpec } from '../../src/server/jobs/job-service.ts'
import { jobStreamLines } from '../../src/server/jobs/job-stream-lines.ts'
import { pieceText } from '../helpers/stream-pieces.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../helpers/fixture-db.ts'
import { fixtureCids, jobFixtureRows } from '../server/jobs/job-fixture.ts'
import { waitUntil } from '../server/jobs/job-harness.ts'
import { requireRedisServerBinary, startPrivateRedis, type PrivateRedis } from '../server/scale-out/private-redis.ts'
import { Processes, namespace, scaleOutConfig, waitForWorkers } from '../server/scale-out/scale-out-harness.ts'
import { figure, since } from './faults-harness.ts'

const LOTS = 300
const TOTAL = LOTS * 20
const spec: JobSpec = {
  profile: 'query_tool',
  domains: ['history'],
  input: { kind: 'container_ids', container_ids: fixtureCids(LOTS), direction: 'forward' },
  cid_count: LOTS,
}

/** The status, or `unreachable` while Redis is down or reconnecting. */
async function statusOf(jobs: JobService, jobId: string): Promise<JobStatusResponse | 'gone' | 'unreachable'> {
  try {
    return (await jobs.status(jobId)) ?? 'gone'
  } catch {
    return 'unreachable'
  }
}

/** Every line of the job's stream. */
async function streamOf(jobs: JobService, jobId: string, first: JobStatusResponse): Promise<StreamLine[]> {
  const lines: StreamLine[] = []
  const options = {
    results: jobs.results,
    status: () => jobs.status(jobId),
    jobId,
    shape: 'compact' as const,
    signal: AbortSignal.timeout(60_000),
  }
  for await (const line of jobStreamLines(options, first)) lines.push(JSON.parse(pieceText(line)) as StreamLine)
  return lines
}

describe.skipIf(await requireRedisServerBinary())('Redis restarted mid-job', () => {
  const ns = namespace('faults-redis')
  const procs = new Processes()
  let server: PrivateRedis
  let dbPath: string
  let jobs: JobService | undefined

  beforeAll(async () => {
    setLogLevel('error')
    dbPath = createFixtureDb(jobFixtureRows(LOTS, 20))
    server = await startPrivateRedis()
  })
  afterAll(async () => {
    await procs.killAll()
    await jobs?.close().catch(() => undefined)
    await server?.stop()
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('ends the running job truthfully, and the next job finishes whole', async () => {
    const config = scaleOutConfig(ns, {
      MES_DB_PATH: dbPath,
      REDIS_URL: server.url,
      TRACE_IN_BATCH_SIZE: '2',
      TRACE_WORKER_LOCK_MS: '3000',
      TRACE_WORKER_STALLED_INTERVAL_MS: '1000',
    })
    jobs = await createBullJobService(config)
    procs.worker(config)
    await waitForWorkers(config, 1)
    const { job_id } = await jobs.submit(spec)
    await waitUntil(
      async () => {
        const s = await statusOf(jobs as JobService, job_id)
        return typeof s === 'object' && s.progress.chunks > 2
      },
      60_000,
      'the job to store chunks',
    )

    const t0 = Date.now()
    await server.stop()
    server = await startPrivateRedis(server.port)
    const downMs = since(t0)
    let last = 'unreachable' as Awaited<ReturnType<typeof statusOf>>
    // Gone counts as an end only once it stays gone past the lock: a worker still running would write the record again.
    let goneSince = 0
    await waitUntil(
      async () => {
        last = await statusOf(jobs as JobService, job_id)
        if (last !== 'gone') goneSince = 0
        else goneSince ||= Date.now()
        return (
          (goneSince > 0 && Date.now() - goneSince > 10_000) ||
          (typeof last === 'object' && !['queued', 'started'].includes(last.status))
        )
      },
      90_000,
      'the job to end after the restart',
      250,
    )
    const endedMs = since(t0)
    const outcome = typeof last === 'object' ? `${last.status}${last.error ? ` ${last.error.code}` : ''}` : last
    if (typeof last === 'object' && last.status === 'finished') {
      // Finished means whole: every row streams and the stream says complete.
      const lines = await streamOf(jobs, job_id, last)
      expect(lines.at(-1)).toEqual({ type: 'complete', total_records: TOTAL, counts: { history: TOTAL } })
    } else if (typeof last === 'object') {
      expect(last.status).toBe('failed')
      const lines = await streamOf(jobs, job_id, last)
      expect(lines.filter((l) => l.type === 'records')).toEqual([])
      expect(lines.at(-1)?.type).toBe('error')
    }

    const t1 = Date.now()
    await waitForWorkers(config, 1)
    const next = await jobs.submit(spec)
    await waitUntil(
      async () => {
        const s = await statusOf(jobs as JobService, next.job_id)
        return typeof s === 'object' && !['queued', 'started'].includes(s.status)
      },
      90_000,
      'the next job',
    )
    const done = await jobs.status(next.job_id)
    expect(done?.status).toBe('finished')
    expect(done?.progress.rows).toBe(TOTAL)
    figure('redis-restart', {
      redis_down_ms: downMs,
      job_outcome: outcome,
      job_final_after_ms: endedMs,
      next_job_finished_ms: since(t1),
    })
  })
})
