import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startJobHarness, submitTrace, waitForStatus, wholeTraceBody, type JobHarness } from '../jobs/job-harness.ts'

describe('XLSX export and a client that goes away', () => {
  let h: JobHarness
  let jobId: string
  beforeAll(async () => {
    h = await startJobHarness({ lots: 1000, historyPerLot: 10 })
    jobId = (await submitTrace(h.app, wholeTraceBody(['history']))).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished', 120_000)
  }, 180_000)
  afterAll(async () => h?.close())

  it('stops reading the result soon after the client cancels the download', async () => {
    const reads = vi.spyOn(h.jobs.results, 'readChunk')
    const res = await h.app.request(`/api/trace/job/${jobId}/export.xlsx?domain=history`)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    await reader.cancel()
    await new Promise((r) => setTimeout(r, 1000))
    const afterCancel = reads.mock.calls.length
    await new Promise((r) => setTimeout(r, 1000))
    expect(reads.mock.calls.length).toBe(afterCancel)
    // 10,000 rows are 200 chunks of 50: the export ended long before the last one.
    expect(afterCancel).toBeLessThan(150)
    reads.mockRestore()
  })
})
