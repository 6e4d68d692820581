import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobLineage, LineageResponse } from '../../../src/shared/responses.ts'
import { startJobHarness, submitTrace, waitForStatus, wholeTraceBody, type JobHarness } from '../jobs/job-harness.ts'

async function finishedJob(h: JobHarness): Promise<string> {
  const { job_id } = await submitTrace(h.app, wholeTraceBody(['history']))
  const status = await waitForStatus(h.app, job_id, (s) => s.status === 'finished' || s.status === 'failed')
  expect(status.status).toBe('finished')
  return job_id
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code
}

describe('the lineage a whole-trace job keeps (file store)', () => {
  let h: JobHarness
  let jobId: string
  beforeAll(async () => {
    h = await startJobHarness({ lots: 12, historyPerLot: 3 })
    jobId = await finishedJob(h)
  })
  afterAll(async () => h?.close())

  it('answers the same genealogy POST /api/trace/lineage gives for the seeds, without a second walk by the browser', async () => {
    const res = await h.app.request(`/api/trace/job/${jobId}/lineage`)
    expect(res.status).toBe(200)
    const kept = (await res.json()) as JobLineage
    expect(kept.seed_ids.length).toBeGreaterThan(0)
    expect(kept.seed_count).toBe(kept.seed_ids.length)
    expect(kept.max_nodes).toBe(h.config.TRACE_JOB_LINEAGE_MAX_NODES)
    const status = await (await h.app.request(`/api/trace/job/${jobId}`)).json()
    expect(kept.total_nodes).toBe((status as { cid_count: number }).cid_count)

    const direct = await h.app.request('/api/trace/lineage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profile: 'query_tool', container_ids: kept.seed_ids }),
    })
    expect(direct.status).toBe(200)
    expect(kept.lineage).toEqual((await direct.json()) as LineageResponse)
  })

  it('says LINEAGE_NOT_AVAILABLE in the error envelope when the job has none stored, and JOB_NOT_FOUND for no job', async () => {
    await h.jobs.results.delete(jobId)
    const gone = await h.app.request(`/api/trace/job/${jobId}/lineage`)
    expect(gone.status).toBe(404)
    expect(await errorCode(gone)).toBe('LINEAGE_NOT_AVAILABLE')
    const unknown = await h.app.request('/api/trace/job/trace-evt-00000000000000000000000000000000/lineage')
    expect(unknown.status).toBe(404)
    expect(await errorCode(unknown)).toBe('JOB_NOT_FOUND')
  })
})

describe('the lineage of a family bigger than TRACE_JOB_LINEAGE_MAX_NODES', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({ lots: 12, historyPerLot: 3, env: { TRACE_JOB_LINEAGE_MAX_NODES: '1' } })
  })
  afterAll(async () => h?.close())

  it('keeps the counts only', async () => {
    const jobId = await finishedJob(h)
    const kept = (await (await h.app.request(`/api/trace/job/${jobId}/lineage`)).json()) as JobLineage
    expect(kept.total_nodes).toBeGreaterThan(1)
    expect(kept.seed_count).toBeGreaterThan(0)
    expect(kept).toMatchObject({ max_nodes: 1, seed_ids: [], lineage: null })
  })
})
