/**
 * A browser that goes away mid-stream (tab closed, navigation): the server stops reading the job's results
 * within a second, for a finished job being sent and for a running one being followed.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobService } from '../../src/server/jobs/job-service.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import type { ResultStore } from '../../src/server/storage/result-store.ts'
import {
  ndjsonLines,
  startJobHarness,
  submitTrace,
  waitForStatus,
  wholeTraceBody,
  type JobHarness,
} from '../server/jobs/job-harness.ts'
import { figure } from './faults-harness.ts'

/** The job service with its result store's reads timed: the stream route reads through it. */
function timedReads(jobs: JobService): { jobs: JobService; lastReadAt(): number; reads(): number } {
  let last = 0
  let count = 0
  const seen = <T>(p: Promise<T>): Promise<T> => p.finally(() => ((last = Date.now()), count++))
  const results: ResultStore = {
    ...jobs.results,
    readChunk: (...a) => seen(jobs.results.readChunk(...a)),
    readMeta: (...a) => seen(jobs.results.readMeta(...a)),
  }
  const wrapped: JobService = Object.create(jobs, { results: { value: results } }) as JobService
  return { jobs: wrapped, lastReadAt: () => last, reads: () => count }
}

describe('a client aborting mid-stream', () => {
  let h: JobHarness
  let server: RunningServer
  let timed: ReturnType<typeof timedReads>
  beforeAll(async () => {
    h = await startJobHarness({
      lots: 600,
      historyPerLot: 20,
      env: { TRACE_IN_BATCH_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '10' },
    })
    timed = timedReads(h.jobs)
    server = await startServer({
      config: h.config,
      source: h.source,
      jobs: timed.jobs,
      port: 0,
      host: '127.0.0.1',
      staticRoot: join(h.dir, 'no-client'),
    })
  })
  afterAll(async () => {
    await server?.close()
    await h?.close()
  })

  /** Reads `lines` lines of the job's stream, aborts, and measures how long the server went on reading. */
  async function abortAfter(
    jobId: string,
    lines: number,
  ): Promise<{ last_read_after_abort_ms: number; reads_after_1s: number }> {
    const controller = new AbortController()
    const res = await fetch(`${server.url}/api/trace/job/${jobId}/stream`, { signal: controller.signal })
    let n = 0
    try {
      for await (const _ of ndjsonLines(res)) if (++n >= lines) break
    } finally {
      controller.abort()
    }
    const abortedAt = Date.now()
    await new Promise((r) => setTimeout(r, 1000))
    const before = timed.reads()
    await new Promise((r) => setTimeout(r, 1000))
    return {
      last_read_after_abort_ms: Math.max(0, timed.lastReadAt() - abortedAt),
      reads_after_1s: timed.reads() - before,
    }
  }

  it('stops reading within 1 s of the abort, for a running job and for a finished one', async () => {
    const { job_id } = await submitTrace(h.app, wholeTraceBody(['history']))
    await waitForStatus(h.app, job_id, (s) => s.status === 'started' && s.progress.chunks > 3)
    const running = await abortAfter(job_id, 3)
    await waitForStatus(h.app, job_id, (s) => s.status === 'finished', 120_000)
    const finished = await abortAfter(job_id, 20)
    for (const m of [running, finished]) {
      expect(m.last_read_after_abort_ms).toBeLessThan(1000)
      expect(m.reads_after_1s).toBe(0)
    }
    figure('client-abort', { running, finished })
  })
})
