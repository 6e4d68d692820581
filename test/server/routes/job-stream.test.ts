import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS, type Domain } from '../../../src/shared/domains.ts'
import type { DomainEndLine, RecordsLine, StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobResultPage } from '../../../src/shared/responses.ts'
import { handleError } from '../../../src/server/http/error-handler.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import type { JobService } from '../../../src/server/jobs/job-service.ts'
import { jobRoutes } from '../../../src/server/routes/job-routes.ts'
import type { ResultStore } from '../../../src/server/storage/result-store.ts'
import {
  getStatus,
  ndjsonLines,
  readNdjson,
  startJobHarness,
  submitTrace,
  waitForStatus,
  waitUntil,
  type JobHarness,
} from '../jobs/job-harness.ts'

const DOMAINS: Domain[] = ['history', 'materials', 'rejects']
const ended = (s: { status: string }): boolean => !['queued', 'started'].includes(s.status)

function recordsOf(lines: StreamLine[], domain: Domain): RecordsLine[] {
  return lines.filter((l): l is RecordsLine => l.type === 'records' && l.domain === domain)
}

async function allPages(h: JobHarness, jobId: string, domain: Domain, limit: number): Promise<unknown[][]> {
  const rows: unknown[][] = []
  for (let offset = 0; ; offset += limit) {
    const res = await h.app.request(
      `/api/trace/job/${jobId}/result?domain=${domain}&offset=${offset}&limit=${limit}&shape=compact`,
    )
    expect(res.status).toBe(200)
    const page = (await res.json()) as JobResultPage
    rows.push(...page.data)
    if (offset + limit >= page.total) return rows
  }
}

describe('job stream and result routes', () => {
  let h: JobHarness
  let finishedId: string
  let finishedLines: StreamLine[]

  beforeAll(async () => {
    // 400 lots, 10 history rows each, two CIDs per statement: a job of a few seconds in 50-row chunks.
    h = await startJobHarness({
      lots: 400,
      historyPerLot: 10,
      env: { TRACE_IN_BATCH_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '10' },
    })
  })
  afterAll(async () => h?.close())

  it('sends meta, each domain framed by domain_start and domain_end, then complete, with the rows /result pages return', async () => {
    const { job_id, stream_url } = await submitTrace(h.app)
    // Opened while the job is queued: the stream follows the worker until the job ends.
    const res = await h.app.request(`${stream_url}?shape=compact`)
    expect(res.status).toBe(200)
    const lines = await readNdjson(res)
    finishedId = job_id
    finishedLines = lines

    expect(lines[0]).toEqual({ type: 'meta', job_id, profile: 'query_tool', domains: DOMAINS })
    const expectedOrder: string[] = ['meta']
    for (const d of DOMAINS) {
      expectedOrder.push(`domain_start:${d}`)
      for (const r of recordsOf(lines, d)) expectedOrder.push(`records:${d}:${r.batch}`)
      expectedOrder.push(`domain_end:${d}`)
    }
    expectedOrder.push('complete')
    const actualOrder = lines.map((l) =>
      l.type === 'records' ? `records:${l.domain}:${l.batch}` : 'domain' in l ? `${l.type}:${l.domain}` : l.type,
    )
    expect(actualOrder).toEqual(expectedOrder)

    const counts: Partial<Record<Domain, number>> = {}
    for (const d of DOMAINS) {
      const records = recordsOf(lines, d)
      expect(records.map((r) => r.batch)).toEqual(records.map((_, i) => i))
      expect(records.slice(0, -1).every((r) => r.count === 50)).toBe(true)
      const rows = records.flatMap((r) => r.rows ?? [])
      expect(records.every((r) => r.count === r.rows?.length)).toBe(true)
      const start = lines.find((l) => l.type === 'domain_start' && l.domain === d)
      expect(start).toEqual({ type: 'domain_start', domain: d, columns: DOMAIN_COLUMNS[d] })
      const end = lines.find((l): l is DomainEndLine => l.type === 'domain_end' && l.domain === d)
      expect(end?.count).toBe(rows.length)
      counts[d] = rows.length
      expect(await allPages(h, job_id, d, 37)).toEqual(rows)
    }
    expect(counts).toEqual({ history: 4000, materials: 800, rejects: 409 })
    expect(lines.at(-1)).toEqual({ type: 'complete', total_records: 5209, counts })
  })

  it('sends the first records line while the job is still running', async () => {
    const { job_id, stream_url } = await submitTrace(h.app)
    const res = await h.app.request(stream_url)
    let statusAtFirstRecords: string | undefined
    for await (const line of ndjsonLines(res)) {
      if (line.type === 'records') {
        statusAtFirstRecords = (await getStatus(h.app, job_id)).status
        break
      }
    }
    expect(statusAtFirstRecords).toBe('started')
    await waitForStatus(h.app, job_id, ended)
  })

  it('uses the exact NDJSON headers', async () => {
    const res = await h.app.request(`/api/trace/job/${finishedId}/stream`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('Content-Type')).toBe('application/x-ndjson')
    expect(res.headers.get('Cache-Control')).toBe('no-store, no-transform')
    expect(res.headers.get('X-Accel-Buffering')).toBe('no')
    // Already gzip (spliced from the stored chunks), never re-encoded by a proxy or middleware.
    expect(res.headers.get('Content-Encoding')).toBe('gzip')
    await res.body?.cancel()
  })

  it('resumes after the given batch with from=<domain>:<batch>', async () => {
    const res = await h.app.request(`/api/trace/job/${finishedId}/stream?from=history:3&shape=compact`)
    const lines = await readNdjson(res)
    const at = finishedLines.findIndex((l) => l.type === 'records' && l.domain === 'history' && l.batch === 3)
    expect(lines[0].type).toBe('meta')
    expect(lines.slice(1)).toEqual(finishedLines.slice(at + 1))

    const lastBatch = Math.max(...recordsOf(finishedLines, 'rejects').map((r) => r.batch))
    const fromLast = await readNdjson(
      await h.app.request(`/api/trace/job/${finishedId}/stream?from=rejects:${lastBatch}`),
    )
    expect(fromLast.map((l) => l.type)).toEqual(['meta', 'domain_end', 'complete'])
    const beyond = await h.app.request(`/api/trace/job/${finishedId}/stream?from=rejects:${lastBatch + 1}`)
    expect(beyond.status).toBe(400)
    expect(await beyond.json()).toMatchObject({
      error: { code: 'INVALID_PARAMS', field: 'from', batches: lastBatch + 1 },
    })
    const bad = await h.app.request(`/api/trace/job/${finishedId}/stream?from=holds:1`)
    expect(bad.status).toBe(400)
  })

  it('sends rows as objects keyed by column unless the caller asks for the compact shape', async () => {
    const lines = await readNdjson(await h.app.request(`/api/trace/job/${finishedId}/stream`))
    expect(await readNdjson(await h.app.request(`/api/trace/job/${finishedId}/stream?shape=objects`))).toEqual(lines)
    const byAccept = await h.app.request(`/api/trace/job/${finishedId}/stream`, {
      headers: { Accept: 'application/x-ndjson; shape=compact' },
    })
    expect(byAccept.headers.get('Vary')).toBe('Accept, Accept-Encoding')
    expect(await readNdjson(byAccept)).toEqual(finishedLines)
    const arrays = recordsOf(finishedLines, 'materials')
    const objects = recordsOf(lines, 'materials')
    expect(objects.length).toBe(arrays.length)
    const cols = DOMAIN_COLUMNS.materials
    objects.forEach((line, i) => {
      expect(line.rows).toBeUndefined()
      expect(line.count).toBe(arrays[i].count)
      expect(line.data).toEqual(arrays[i].rows?.map((row) => Object.fromEntries(cols.map((c, j) => [c, row[j]]))))
    })
  })

  it('ends with an error line when the job is cancelled while the client streams', async () => {
    const { job_id, stream_url } = await submitTrace(h.app)
    const res = await h.app.request(stream_url)
    const lines: StreamLine[] = []
    for await (const line of ndjsonLines(res)) {
      lines.push(line)
      if (line.type === 'records' && line.batch === 1)
        await h.app.request(`/api/trace/job/${job_id}`, { method: 'DELETE' })
    }
    expect(lines.at(-1)).toEqual({ type: 'error', code: 'JOB_CANCELLED', message: 'cancelled by request' })
    expect(lines.some((l) => l.type === 'complete')).toBe(false)
  })

  it('stops reading the store as soon as the client goes away', async () => {
    let reads = 0
    const results = new Proxy(h.jobs.results, {
      get(target, prop, receiver) {
        if (prop === 'readChunk') {
          return (...args: Parameters<ResultStore['readChunk']>) => {
            reads += 1
            return target.readChunk(...args)
          }
        }
        return Reflect.get(target, prop, receiver)
      },
    })
    const jobs: JobService = { ...h.jobs, results }
    const app = new Hono().onError(handleError).route('/api/trace/job', jobRoutes({ jobs, source: h.source }))
    const { job_id, stream_url } = await submitTrace(h.app)
    const res = await app.request(stream_url)
    for await (const line of ndjsonLines(res)) if (line.type === 'records') break
    await new Promise((r) => setTimeout(r, 200))
    const readsAfterDisconnect = reads
    expect(readsAfterDisconnect).toBeGreaterThan(0)
    const chunksThen = (await getStatus(h.app, job_id)).progress.chunks
    // The worker keeps writing chunks a reader would pick up; none is read.
    await waitForStatus(h.app, job_id, (s) => ended(s) || s.progress.chunks >= chunksThen + 5)
    await new Promise((r) => setTimeout(r, 300))
    expect(reads).toBe(readsAfterDisconnect)
    await h.app.request(`/api/trace/job/${job_id}`, { method: 'DELETE' })
  })

  it('sends one full_result line for a job the old system stored as a single value', async () => {
    const jobId = newJobId()
    const dir = join(h.config.TRACE_RESULT_DIR, jobId)
    mkdirSync(dir, { recursive: true })
    const legacy = { stage: 'events', results: { history: { data: [['a', 1]], count: 1 } }, aggregation: null }
    writeFileSync(join(dir, 'result.json'), JSON.stringify(legacy))
    try {
      const lines = await readNdjson(await h.app.request(`/api/trace/job/${jobId}/stream`))
      expect(lines).toEqual([{ type: 'full_result', data: legacy }])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('answers 404 JOB_NOT_FOUND for unknown ids on every job route', async () => {
    for (const path of ['', '/stream', '/result?domain=history', '/export.csv?domain=history', '/export.xlsx']) {
      const res = await h.app.request(`/api/trace/job/${newJobId()}${path}`)
      expect(res.status, path).toBe(404)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('JOB_NOT_FOUND')
    }
    expect((await h.app.request('/api/trace/job/not-a-job')).status).toBe(404)
  })

  it('pages /result across chunk boundaries, refuses a running job with 409 and an expired result with 404', async () => {
    const rows = recordsOf(finishedLines, 'history').flatMap((r) => r.rows ?? [])
    const pagePath = `/api/trace/job/${finishedId}/result?domain=history&offset=45&limit=10`
    const page = (await (await h.app.request(`${pagePath}&shape=compact`)).json()) as JobResultPage
    expect(page).toMatchObject({
      job_id: finishedId,
      domain: 'history',
      offset: 45,
      limit: 10,
      total: 4000,
      count: 10,
      columns: DOMAIN_COLUMNS.history,
    })
    expect(page.data).toEqual(rows.slice(45, 55))
    const objects = (await (await h.app.request(pagePath)).json()) as { data: Record<string, unknown>[] }
    expect(objects.data).toEqual(
      rows.slice(45, 55).map((row) => Object.fromEntries(DOMAIN_COLUMNS.history.map((c, j) => [c, row[j]]))),
    )
    const past = (await (
      await h.app.request(`/api/trace/job/${finishedId}/result?domain=history&offset=4000`)
    ).json()) as JobResultPage
    expect(past.data).toEqual([])
    expect((await h.app.request(`/api/trace/job/${finishedId}/result?domain=holds`)).status).toBe(400)

    const { job_id } = await submitTrace(h.app)
    await waitUntil(async () => (await getStatus(h.app, job_id)).status === 'started')
    const running = await h.app.request(`/api/trace/job/${job_id}/result?domain=history`)
    expect(running.status).toBe(409)
    expect(((await running.json()) as { error: { code: string } }).error.code).toBe('JOB_NOT_COMPLETE')
    await waitForStatus(h.app, job_id, ended)
    rmSync(join(h.config.TRACE_RESULT_DIR, job_id), { recursive: true, force: true })
    const expired = await h.app.request(`/api/trace/job/${job_id}/result?domain=history`)
    expect(expired.status).toBe(404)
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('JOB_RESULT_EXPIRED')
  })
})
