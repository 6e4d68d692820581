import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JOB_STATUSES } from '../../../src/shared/responses.ts'
import { jobIdSchema } from '../../../src/shared/schemas.ts'
import { createFileJobStore } from '../../../src/server/jobs/file-job-store.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import type { JobRecord } from '../../../src/server/jobs/job-record.ts'
import type { JobSpec } from '../../../src/server/jobs/job-service.ts'
import { fixtureCids } from './job-fixture.ts'
import {
  getStatus,
  readNdjson,
  startJobHarness,
  submitTrace,
  waitForStatus,
  waitUntil,
  wholeTraceBody,
  type JobHarness,
} from './job-harness.ts'
import { BROKEN_WORKER, IDLE_WORKER, useScriptedWorkerHarness } from './scripted-worker.ts'

/** Tiny IN batches make the fixture job take seconds: long enough to watch, cancel and kill it. */
const SLOW = { TRACE_IN_BATCH_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '10' }
const ended = (s: { status: string }): boolean => !['queued', 'started'].includes(s.status)

function idsJob(cids: readonly string[]): JobSpec {
  return {
    profile: 'query_tool',
    domains: ['history'],
    input: { kind: 'container_ids', container_ids: cids, direction: 'forward' },
    cid_count: cids.length,
  }
}

describe('embedded job service with a slow job', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({ lots: 800, historyPerLot: 20, env: SLOW })
  })
  afterAll(async () => h?.close())

  it('moves a whole-trace job from queued through started to finished with its status fields', async () => {
    const accepted = await submitTrace(h.app, wholeTraceBody(['history', 'rejects']))
    expect(jobIdSchema.safeParse(accepted.job_id).success).toBe(true)
    expect(accepted).toEqual({
      stage: 'events',
      async: true,
      job_id: accepted.job_id,
      status_url: `/api/trace/job/${accepted.job_id}`,
      stream_url: `/api/trace/job/${accepted.job_id}/stream`,
    })
    const first = await getStatus(h.app, accepted.job_id)
    expect(JOB_STATUSES).toContain(first.status)
    expect(first).toMatchObject({
      job_id: accepted.job_id,
      profile: 'query_tool',
      domains: ['history', 'rejects'],
      error: null,
      finished_at: null,
    })

    const running = await waitForStatus(
      h.app,
      accepted.job_id,
      (s) => s.status === 'started' && s.progress.stage === 'events' && s.progress.rows > 0,
    )
    expect(running.started_at).not.toBeNull()
    expect(running.cid_count).toBe(800)
    expect(running.progress.cids_total).toBe(800)
    expect(running.progress.pct).toBeGreaterThan(0)
    expect(running.progress.pct).toBeLessThan(100)
    expect(['history', 'rejects']).toContain(running.progress.domain)

    const done = await waitForStatus(h.app, accepted.job_id, ended)
    expect(done.status).toBe('finished')
    expect(done.progress).toMatchObject({ stage: 'done', pct: 100, cids_done: 800, cids_total: 800 })
    expect(done.progress.domain).toBeUndefined()
    expect(done.progress.rows).toBe(800 * 20 + 799 + 10)
    expect(done.progress.chunks).toBeGreaterThan(done.progress.rows / 50)
    expect(Date.parse(done.finished_at ?? '')).toBeGreaterThanOrEqual(Date.parse(done.started_at ?? ''))
    await new Promise((r) => setTimeout(r, 300))
    expect((await getStatus(h.app, accepted.job_id)).elapsed_seconds).toBe(done.elapsed_seconds)
  })

  it('cancels a running job within 2 seconds and deletes its chunks', async () => {
    const { job_id } = await submitTrace(h.app)
    await waitForStatus(h.app, job_id, (s) => s.status === 'started' && s.progress.chunks > 2)
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, job_id))).toBe(true)
    const t0 = Date.now()
    const res = await h.app.request(`/api/trace/job/${job_id}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; error: { code: string } }
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(body.status).toBe('cancelled')
    expect(body.error.code).toBe('JOB_CANCELLED')
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, job_id))).toBe(false)
  })

  it('cancels a queued job before any worker takes it', async () => {
    const running = await submitTrace(h.app)
    const queued = await submitTrace(h.app)
    expect((await getStatus(h.app, queued.job_id)).status).toBe('queued')
    const res = await h.app.request(`/api/trace/job/${queued.job_id}`, { method: 'DELETE' })
    expect(((await res.json()) as { status: string }).status).toBe('cancelled')
    await h.app.request(`/api/trace/job/${running.job_id}`, { method: 'DELETE' })
  })

  /** SIGKILLs the worker running `jobId` once it has stored rows; returns its pid. */
  async function killRunner(jobId: string): Promise<number> {
    await waitForStatus(h.app, jobId, (s) => s.status === 'started' && s.progress.chunks > 2)
    const pid = h.jobs.workers().find((w) => w.job_id === jobId)?.pid
    expect(pid).toBeTypeOf('number')
    process.kill(pid as number, 'SIGKILL')
    return pid as number
  }

  it('retries a job whose worker is killed (TRACE_JOB_ATTEMPTS=2) on a new worker; a reader gets every row, no error', async () => {
    const victim = await submitTrace(h.app, wholeTraceBody(['history', 'rejects']))
    const reading = readNdjson(await h.app.request(victim.stream_url))
    const pid = await killRunner(victim.job_id)

    const done = await waitForStatus(h.app, victim.job_id, ended, 90_000)
    expect(done.status).toBe('finished')
    expect(done.progress.rows).toBe(800 * 20 + 799 + 10)
    const record = await createFileJobStore(h.config.TRACE_JOB_DIR).get(victim.job_id)
    expect(record?.attempt).toBe(2)
    expect(record?.worker).not.toContain(`:${pid}`)
    const lines = await reading
    expect(lines.filter((l) => l.type === 'error')).toEqual([])
    expect(lines.at(-1)).toEqual({
      type: 'complete',
      total_records: done.progress.rows,
      counts: { history: 800 * 20, rejects: 799 + 10 },
    })
    const batches = lines.flatMap((l) => (l.type === 'records' ? [`${l.domain}:${l.batch}`] : []))
    expect(new Set(batches).size).toBe(batches.length)
  })

  it('fails a job whose worker is killed on its last attempt with WORKER_DIED naming SIGKILL, then runs the next job', async () => {
    const victim = await submitTrace(h.app)
    const next = await h.jobs.submit(idsJob(fixtureCids(5)))
    const first = await killRunner(victim.job_id)
    await waitUntil(
      async () => (await createFileJobStore(h.config.TRACE_JOB_DIR).get(victim.job_id))?.attempt === 2,
      30_000,
      'the retry',
    )
    const second = await killRunner(victim.job_id)
    expect(second).not.toBe(first)

    const failed = await waitForStatus(h.app, victim.job_id, ended, 10_000)
    expect(failed.status).toBe('failed')
    expect(failed.error?.code).toBe('WORKER_DIED')
    expect(failed.error?.message).toMatch(/SIGKILL/)
    expect(failed.error?.message).toMatch(/ran 2 time\(s\) of TRACE_JOB_ATTEMPTS=2/)
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, victim.job_id))).toBe(false)

    const after = await waitForStatus(h.app, next.job_id, ended, 60_000)
    expect(after.status).toBe('finished')
    expect(after.progress.rows).toBe(5 * 20)
    expect(h.jobs.workers()[0].pid).not.toBe(second)
  })

  it('takes jobs up again after a restart: the running and queued jobs run, a crash left started runs while attempts remain', async () => {
    const running = await submitTrace(h.app, wholeTraceBody(['history']))
    const queued = await h.jobs.submit(idsJob(fixtureCids(3)))
    await waitForStatus(h.app, running.job_id, (s) => s.status === 'started' && s.progress.chunks > 0)
    await h.jobs.close()
    const store = createFileJobStore(h.config.TRACE_JOB_DIR)
    const stopped = await store.get(running.job_id)
    // Handed back by its worker: it runs again, and the interruption is not one of its attempts.
    expect(stopped).toMatchObject({ status: 'queued', attempt: 1, error: null, worker: null })
    expect((await store.get(queued.job_id))?.status).toBe('queued')
    // A server that crashed leaves its running jobs' records `started`: one with an attempt left, one without.
    const base = { ...(stopped as JobRecord), status: 'started' as const, started_at: new Date().toISOString() }
    const crashed = { ...base, job_id: newJobId(), attempt: 1 }
    const exhausted = { ...base, job_id: newJobId(), attempt: 2 }
    for (const r of [crashed, exhausted])
      await store.create(r, { kind: 'container_ids', container_ids: fixtureCids(2), direction: 'forward' })

    const restarted = await h.restart()
    try {
      const lost = await restarted.status(exhausted.job_id)
      expect(lost?.status).toBe('failed')
      expect(lost?.error?.code).toBe('WORKER_DIED')
      expect(lost?.error?.message).toMatch(/server stopped while the job ran.*TRACE_JOB_ATTEMPTS/)
      for (const id of [running.job_id, queued.job_id, crashed.job_id]) {
        await waitUntil(
          async () => (await restarted.status(id))?.status === 'finished',
          90_000,
          `job ${id} after the restart`,
        )
      }
      expect((await restarted.status(running.job_id))?.progress.rows).toBe(800 * 20)
      expect((await store.get(running.job_id))?.attempt).toBe(1)
      expect((await store.get(crashed.job_id))?.attempt).toBe(2)
    } finally {
      await restarted.close()
    }
  })
})

describe('embedded job service limits', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({
      lots: 1500,
      historyPerLot: 20,
      env: { ...SLOW, TRACE_JOB_TIMEOUT_SECONDS: '1', TRACE_JOB_TTL_SECONDS: '2' },
    })
  })
  afterAll(async () => h?.close())

  it('fails a job that runs past TRACE_JOB_TIMEOUT_SECONDS with JOB_TIMEOUT and deletes its chunks', async () => {
    const { job_id } = await submitTrace(h.app)
    const s = await waitForStatus(h.app, job_id, ended, 15_000)
    expect(s.status).toBe('failed')
    expect(s.error?.code).toBe('JOB_TIMEOUT')
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, job_id))).toBe(false)
  })

  it('removes a job and its results TRACE_JOB_TTL_SECONDS after it ended: 404 JOB_NOT_FOUND', async () => {
    const { job_id } = await h.jobs.submit(idsJob(fixtureCids(2)))
    const done = await waitForStatus(h.app, job_id, ended)
    expect(done.status).toBe('finished')
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, job_id))).toBe(true)
    // The sweeper runs every second here (a quarter of the TTL, at least 1 s): files go without anyone asking.
    await waitUntil(() => !existsSync(join(h.config.TRACE_JOB_DIR, `${job_id}.json`)), 10_000, 'sweeper')
    expect(existsSync(join(h.config.TRACE_RESULT_DIR, job_id))).toBe(false)
    const res = await h.app.request(`/api/trace/job/${job_id}`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('JOB_NOT_FOUND')
  })
})

describe('embedded job service without a working worker', () => {
  const harness = useScriptedWorkerHarness(BROKEN_WORKER)

  it('answers submissions with 503 SERVICE_UNAVAILABLE and Retry-After once no worker can start', async () => {
    const h = harness()
    await waitUntil(async () => !(await h.jobs.canAccept()), 20_000, 'the pool to give up')
    const res = await h.app.request('/api/trace/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: 'query_tool', params: { input_type: 'lot_id', values: 'GA2401-00001' } }),
    })
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE')
  })
})

describe('embedded job service when a cancel meets a dying worker', () => {
  // The worker never ends a job, so the only end a job gets is the one the service records (no retry).
  const harness = useScriptedWorkerHarness(IDLE_WORKER, { TRACE_JOB_ATTEMPTS: '1' })

  it('answers a cancel that arrives while the dead worker’s end is written with that end, which then stays', async () => {
    const h = harness()
    const { job_id } = await h.jobs.submit(idsJob(fixtureCids(1)))
    await waitUntil(() => h.jobs.workers()[0].job_id === job_id, 10_000, 'the worker to take the job')
    // Many chunk files: deleting them keeps the worker's end in progress while the cancel comes in.
    const resultDir = join(h.config.TRACE_RESULT_DIR, job_id)
    mkdirSync(resultDir, { recursive: true })
    for (let i = 0; i < 10_000; i++) writeFileSync(join(resultDir, `history.${i}.ndjson`), '{}\n')
    const pid = h.jobs.workers()[0].pid as number
    process.kill(pid, 'SIGKILL')
    await waitUntil(() => h.jobs.workers()[0].pid !== pid, 10_000, 'the replacement worker')

    const res = await h.app.request(`/api/trace/job/${job_id}`, { method: 'DELETE' })
    const answered = (await res.json()) as { status: string; error: { code: string } }
    expect(answered.status).toBe('failed')
    expect(answered.error.code).toBe('WORKER_DIED')
    await waitUntil(() => h.jobs.workers()[0].state === 'idle', 30_000, 'the replacement to start')
    expect((await getStatus(h.app, job_id)).status).toBe('failed')
    expect(existsSync(resultDir)).toBe(false)
  })
})
