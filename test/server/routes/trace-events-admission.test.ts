import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobAccepted, JobStatusResponse } from '../../../src/shared/responses.ts'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { jobAccepted } from '../../../src/server/jobs/accepted.ts'
import type { JobService, JobSpec } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { lineageQueryId } from '../../../src/server/pipeline/lineage.ts'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import { expectError, openHarness, readJson } from './route-harness.ts'
import { ASSY, LOT_A, LOT_B, ROWS, WAFER } from './trace-fixture.ts'

const PATH = '/api/trace/events'
const JOB_ID = `trace-evt-${'ab'.repeat(16)}`
let resultsDir: string

/** A job system whose capacity the test sets, recording what it was asked to run. */
function jobSystem(mode: 'accepts' | 'busy' | 'refuses-on-submit'): JobService & { submitted: JobSpec[] } {
  const submitted: JobSpec[] = []
  return {
    submitted,
    results: createFileResultStore(resultsDir),
    async submit(spec): Promise<JobAccepted> {
      if (mode === 'refuses-on-submit')
        throw new DomainError('SERVICE_UNAVAILABLE', 'worker died', { retryAfterSeconds: 7 })
      submitted.push(spec)
      return jobAccepted(JOB_ID)
    },
    mode: 'embedded',
    canAccept: async () => mode !== 'busy',
    workerCount: async () => 1,
    status: async (): Promise<JobStatusResponse | undefined> => undefined,
    input: async () => undefined,
    cancel: async () => false,
    close: async () => {},
  }
}

// Threshold 2 and limit 3: 3 CIDs go async when a worker can take them, 4 are over the synchronous limit.
const ENV = { TRACE_ASYNC_CID_THRESHOLD: '2', TRACE_EVENTS_CID_LIMIT: '3' }
const withJobs = (mode: Parameters<typeof jobSystem>[0]) => {
  const jobs = jobSystem(mode)
  return { jobs, h: openHarness(ROWS, ENV, { jobs }) }
}

beforeAll(() => {
  setLogLevel('silent')
  resultsDir = mkdtempSync(join(tmpdir(), 'mes-trace-admission-'))
})
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

describe('events admission with a job system', () => {
  it('answers 202 with the job links above TRACE_ASYNC_CID_THRESHOLD and hands the CIDs to the job', async () => {
    const { jobs, h } = withJobs('accepts')
    try {
      const res = await h.post(PATH, {
        profile: 'query_tool',
        container_ids: [LOT_A, LOT_B, ASSY, LOT_A],
        domains: ['history'],
      })
      expect(res.status).toBe(202)
      expect(await readJson(res)).toEqual({
        stage: 'events',
        async: true,
        job_id: JOB_ID,
        status_url: `/api/trace/job/${JOB_ID}`,
        stream_url: `/api/trace/job/${JOB_ID}/stream`,
      })
      expect(jobs.submitted).toEqual([
        {
          profile: 'query_tool',
          domains: ['history'],
          input: { kind: 'container_ids', container_ids: [LOT_A, LOT_B, ASSY], direction: 'forward' },
          cid_count: 3,
          // No authentication configured: nobody owns the job.
          owner: null,
        },
      ])
    } finally {
      await h.close()
    }
  })

  it('streams at or below the threshold without asking the job system', async () => {
    const { jobs, h } = withJobs('accepts')
    try {
      const res = await h.post(PATH, { profile: 'query_tool', container_ids: [LOT_A, LOT_B], domains: ['history'] })
      expect(res.status).toBe(200)
      expect(((await readJson(res)) as { stage: string }).stage).toBe('events')
      expect(jobs.submitted).toEqual([])
    } finally {
      await h.close()
    }
  })

  it('sends a lineage reference whose lineage passes the threshold to a job with its CID count', async () => {
    const { jobs, h } = withJobs('accepts')
    try {
      const id = lineageQueryId('query_tool', 'forward', [LOT_A])
      const res = await h.post(PATH, { profile: 'query_tool', lineage_query_id: id, seed_container_ids: [LOT_A] })
      expect(res.status).toBe(202)
      expect(jobs.submitted[0]).toMatchObject({
        input: { kind: 'lineage_ref', lineage_query_id: id, seed_container_ids: [LOT_A], direction: 'forward' },
        cid_count: 3,
      })
    } finally {
      await h.close()
    }
  })

  it('hands a reference whose seeds alone pass the threshold to a job without tracing it here', async () => {
    const { jobs, h } = withJobs('accepts')
    try {
      const seeds = [WAFER, LOT_A, LOT_B]
      const id = lineageQueryId('query_tool', 'forward', seeds)
      const res = await h.post(PATH, { profile: 'query_tool', lineage_query_id: id, seed_container_ids: seeds })
      expect(res.status).toBe(202)
      expect(jobs.submitted[0]).toMatchObject({
        input: { kind: 'lineage_ref', seed_container_ids: seeds },
        cid_count: 0,
      })
      expect(h.source.stats().busy).toBe(0)
    } finally {
      await h.close()
    }
  })

  it.each(['busy', 'refuses-on-submit'] as const)(
    'falls back to the synchronous rules when no worker can take the job (%s)',
    async (mode) => {
      const { h } = withJobs(mode)
      try {
        const under = await h.post(PATH, {
          profile: 'query_tool',
          container_ids: [LOT_A, LOT_B, ASSY],
          domains: ['history'],
        })
        expect(under.status).toBe(200)
        expect(((await readJson(under)) as { results: { history: { count: number } } }).results.history.count).toBe(5)
        const over = await h.post(PATH, { profile: 'query_tool', container_ids: [WAFER, LOT_A, LOT_B, ASSY] })
        expect(await expectError(over, 413, 'CID_LIMIT_EXCEEDED')).toMatchObject({ cid_count: 4, limit: 3 })
      } finally {
        await h.close()
      }
    },
  )

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After to a defect investigation no worker can take', async () => {
    for (const [mode, retryAfter] of [
      ['busy', '30'],
      ['refuses-on-submit', '7'],
    ] as const) {
      const { h } = withJobs(mode)
      try {
        const res = await h.post(PATH, { profile: 'mid_section_defect', container_ids: [LOT_A, LOT_B, ASSY] })
        expect(res.headers.get('retry-after')).toBe(retryAfter)
        expect(await expectError(res, 503, 'SERVICE_UNAVAILABLE')).toMatchObject({ cid_count: 3 })
      } finally {
        await h.close()
      }
    }
  })
})
