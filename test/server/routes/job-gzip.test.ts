import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordsLine, StreamLine } from '../../../src/shared/ndjson-lines.ts'
import { startJobHarness, submitTrace, waitForStatus, type JobHarness } from '../jobs/job-harness.ts'

const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' }

async function bodyOf(res: Response): Promise<Buffer> {
  const raw = Buffer.from(await res.arrayBuffer())
  return res.headers.get('content-encoding') === 'gzip' ? gunzipSync(raw) : raw
}

function linesOf(text: Buffer): StreamLine[] {
  return text
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as StreamLine)
}

function rowsOf(lines: StreamLine[]): unknown[] {
  return lines.filter((l): l is RecordsLine => l.type === 'records').flatMap((l) => [l.domain, l.batch, l.rows])
}

describe('results in gzip end to end', () => {
  let h: JobHarness
  let jobId: string

  beforeAll(async () => {
    h = await startJobHarness({ lots: 200, historyPerLot: 10, env: { TRACE_STREAM_BATCH_SIZE: '50' } })
    jobId = (await submitTrace(h.app)).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished')
  })
  afterAll(async () => h?.close())

  it('stores every chunk as a gzip member', async () => {
    const chunk = await h.jobs.results.readChunk(jobId, 'history', 0)
    expect(chunk?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
  })

  it('sends the stream in gzip to a client that accepts it and plain to one that does not, with the same lines', async () => {
    const url = `/api/trace/job/${jobId}/stream?shape=compact`
    const zipped = await h.app.request(url, { headers: GZIP })
    const plain = await h.app.request(url)
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toMatch(/Accept-Encoding/)
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/)
    const zippedText = await bodyOf(zipped)
    const plainText = await bodyOf(plain)
    expect(zippedText.equals(plainText)).toBe(true)
    const lines = linesOf(plainText)
    expect(lines.at(-1)?.type).toBe('complete')
    expect(rowsOf(lines).length).toBeGreaterThan(3 * 3)
  })

  it('resumes with ?from= identically in gzip and plain', async () => {
    const url = `/api/trace/job/${jobId}/stream?shape=compact&from=history:1`
    const zipped = linesOf(await bodyOf(await h.app.request(url, { headers: GZIP })))
    const plain = linesOf(await bodyOf(await h.app.request(url)))
    expect(zipped).toEqual(plain)
    const firstRecords = zipped.find((l): l is RecordsLine => l.type === 'records')
    expect(firstRecords).toMatchObject({ domain: 'history', batch: 2 })
  })

  it('follows a running job in gzip with the rows a plain read of the finished job gets', async () => {
    const running = (await submitTrace(h.app)).job_id
    const url = `/api/trace/job/${running}/stream?shape=compact`
    const zipped = linesOf(await bodyOf(await h.app.request(url, { headers: GZIP })))
    expect(zipped.at(-1)?.type).toBe('complete')
    expect(zipped).toEqual(linesOf(await bodyOf(await h.app.request(url))))
  })

  it('still reads a result stored before compression (plain chunks), in gzip and plain', async () => {
    const before = linesOf(await bodyOf(await h.app.request(`/api/trace/job/${jobId}/stream?shape=compact`)))
    const legacyId = (await submitTrace(h.app)).job_id
    await waitForStatus(h.app, legacyId, (s) => s.status === 'finished')
    // Rewrite the job's chunks the old way: plain NDJSON in `<domain>.<idx>.ndjson`.
    const dir = join(h.dir, 'results', legacyId)
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ndjson.gz'))) {
      writeFileSync(join(dir, name.slice(0, -3)), gunzipSync(readFileSync(join(dir, name))))
      rmSync(join(dir, name))
    }
    expect((await h.jobs.results.readChunk(legacyId, 'history', 0))?.subarray(0, 1).toString()).toBe('{')
    const url = `/api/trace/job/${legacyId}/stream?shape=compact`
    const zipped = linesOf(await bodyOf(await h.app.request(url, { headers: GZIP })))
    const plain = linesOf(await bodyOf(await h.app.request(url)))
    expect(zipped).toEqual(plain)
    expect(rowsOf(plain)).toEqual(rowsOf(before))
    const csv = `/api/trace/job/${legacyId}/export.csv?domain=history`
    expect((await bodyOf(await h.app.request(csv, { headers: GZIP }))).length).toBeGreaterThan(1000)
  })

  it('sends objects-shaped rows in gzip too', async () => {
    const url = `/api/trace/job/${jobId}/stream?shape=objects`
    const zipped = linesOf(await bodyOf(await h.app.request(url, { headers: GZIP })))
    expect(zipped).toEqual(linesOf(await bodyOf(await h.app.request(url))))
  })

  it('serves /result pages and export.csv byte-identical after decoding, and leaves export.xlsx alone', async () => {
    for (const path of ['result?domain=history&offset=70&limit=120&shape=compact', 'export.csv?domain=history']) {
      const zipped = await h.app.request(`/api/trace/job/${jobId}/${path}`, { headers: GZIP })
      const plain = await h.app.request(`/api/trace/job/${jobId}/${path}`)
      expect(zipped.headers.get('content-encoding')).toBe('gzip')
      expect(plain.headers.get('content-encoding')).toBeNull()
      const text = await bodyOf(plain)
      expect(text.length).toBeGreaterThan(1000)
      expect((await bodyOf(zipped)).equals(text)).toBe(true)
    }
    const xlsx = await h.app.request(`/api/trace/job/${jobId}/export.xlsx?domain=history`, { headers: GZIP })
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-encoding')).toBeNull()
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK')
  })
})
