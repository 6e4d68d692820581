import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import type { JobResultPage } from '../../../src/shared/responses.ts'
import { CSV_HOSTILE_COMMENTS } from '../jobs/job-fixture.ts'
import { startJobHarness, submitTrace, waitForStatus, wholeTraceBody, type JobHarness } from '../jobs/job-harness.ts'

/** Splits RFC 4180 text into records of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let cell = ''
  let row: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      records.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  return records
}

describe('job CSV export', () => {
  let h: JobHarness
  let jobId: string
  beforeAll(async () => {
    h = await startJobHarness({ lots: 120, historyPerLot: 3 })
    jobId = (await submitTrace(h.app, wholeTraceBody(['rejects', 'history']))).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished')
  })
  afterAll(async () => h?.close())

  it('downloads a domain with BOM, CRLF, a header row, RFC 4180 quoting and a safe file name', async () => {
    const res = await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=rejects`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="${jobId}-rejects.csv"`)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1)
    expect(text.endsWith('\r\n')).toBe(true)
    // Every line break outside quotes is CRLF: removing quoted cells leaves no bare LF.
    expect(/[^\r]\n/.test(text.replace(/"(?:[^"]|"")*"/g, ''))).toBe(false)

    const records = parseCsv(text)
    expect(records[0]).toEqual([...DOMAIN_COLUMNS.rejects])
    expect(records.length - 1).toBe(119 + CSV_HOSTILE_COMMENTS.length)
    const page = (await (await h.app.request(`/api/trace/job/${jobId}/result?domain=rejects&limit=1000`)).json()) as JobResultPage
    expect(records.length - 1).toBe(page.total)
  })

  it('guards text cells that start like a formula and leaves real numbers untouched', async () => {
    const text = (await (await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=rejects`)).text()).replace(/^\uFEFF/, '')
    const records = parseCsv(text)
    const col = (name: string): number => DOMAIN_COLUMNS.rejects.indexOf(name)
    const lot1 = records.slice(1).filter((r) => r[col('CONTAINERID')] === '0000000000000001')
    const comments = lot1.map((r) => r[col('REJECTCOMMENT')])
    expect(comments).toEqual([
      "'=SUM(A1:A9)", "'+1", "'-2", "'@cmd", "'\tTab", "'\rCR", 'a,b', 'say "hi"', 'line1\nline2', '測試 OK',
    ])
    expect(text).toContain(`"say ""hi"""`)
    expect(text).toContain('"line1\nline2"')
    expect(text).toContain(`"'\rCR"`)
    // Quantities are numbers: written as they are, never guarded or quoted, negative ones included.
    expect(lot1.map((r) => r[col('REJECT_QTY')])).toEqual(CSV_HOSTILE_COMMENTS.map((_, n) => String(n + 1)))
    expect(lot1.map((r) => r[col('STANDBY_QTY')])).toEqual(CSV_HOSTILE_COMMENTS.map((_, n) => String(-(n + 1))))
    expect(text).toContain(',-1,')
  })

  it('refuses a domain the job did not fetch and a job that is not finished', async () => {
    expect((await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=holds`)).status).toBe(400)
    expect((await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=nope`)).status).toBe(400)
    const cancelled = await submitTrace(h.app)
    await h.app.request(`/api/trace/job/${cancelled.job_id}`, { method: 'DELETE' })
    const res = await h.app.request(`/api/trace/job/${cancelled.job_id}/export.csv?domain=history`)
    expect(res.status).toBe(409)
  })
})
