import ExcelJS from 'exceljs'
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

describe('job CSV and XLSX export', () => {
  let h: JobHarness
  let jobId: string
  beforeAll(async () => {
    h = await startJobHarness({ lots: 120, historyPerLot: 3 })
    jobId = (await submitTrace(h.app, wholeTraceBody(['rejects', 'history']))).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished')
  })
  afterAll(async () => h?.close())

  it('downloads a domain with BOM, CRLF, a header row, RFC 4180 quoting and a name that says what was traced', async () => {
    const res = await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=rejects`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const day = new Date().toISOString().slice(0, 10)
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="query_tool-GA24010001-${day}-rejects.csv"; filename*=UTF-8''query_tool-GA24010001-${day}-rejects.csv`,
    )
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1)
    expect(text.endsWith('\r\n')).toBe(true)
    // Every line break outside quotes is CRLF: removing quoted cells leaves no bare LF.
    expect(/[^\r]\n/.test(text.replace(/"(?:[^"]|"")*"/g, ''))).toBe(false)

    const records = parseCsv(text)
    expect(records[0]).toEqual([...DOMAIN_COLUMNS.rejects])
    expect(records.length - 1).toBe(119 + CSV_HOSTILE_COMMENTS.length)
    const page = (await (
      await h.app.request(`/api/trace/job/${jobId}/result?domain=rejects&limit=1000`)
    ).json()) as JobResultPage
    expect(records.length - 1).toBe(page.total)
  })

  it('guards text cells that start like a formula and leaves real numbers untouched', async () => {
    const text = (await (await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=rejects`)).text()).replace(
      /^\uFEFF/,
      '',
    )
    const records = parseCsv(text)
    const col = (name: string): number => DOMAIN_COLUMNS.rejects.indexOf(name)
    const lot1 = records.slice(1).filter((r) => r[col('CONTAINERID')] === '0000000000000001')
    const comments = lot1.map((r) => r[col('REJECTCOMMENT')])
    expect(comments).toEqual([
      "'=SUM(A1:A9)",
      "'+1",
      "'-2",
      "'@cmd",
      "'\tTab",
      "'\rCR",
      'a,b',
      'say "hi"',
      'line1\nline2',
      '測試 OK',
    ])
    expect(text).toContain(`"say ""hi"""`)
    expect(text).toContain('"line1\nline2"')
    expect(text).toContain(`"'\rCR"`)
    // Quantities are numbers: written as they are, never guarded or quoted, negative ones included.
    expect(lot1.map((r) => r[col('REJECT_QTY')])).toEqual(CSV_HOSTILE_COMMENTS.map((_, n) => String(n + 1)))
    expect(lot1.map((r) => r[col('STANDBY_QTY')])).toEqual(CSV_HOSTILE_COMMENTS.map((_, n) => String(-(n + 1))))
    expect(text).toContain(',-1,')
  })

  it('writes ids as text formulas in the spreadsheet flavour, and only there', async () => {
    const res = await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=history&flavour=spreadsheet`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Disposition')).toContain('-history-for-spreadsheets.csv"')
    const records = parseCsv((await res.text()).replace(/^\uFEFF/, ''))
    const col = (name: string): number => DOMAIN_COLUMNS.history.indexOf(name)
    expect(records[1][col('CONTAINERID')]).toMatch(/^="[0-9a-f]{16}"$/)
    expect(records[1][col('TRACKINTIMESTAMP')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    expect(records[1][col('TRACKINQTY')]).toBe('1000')
    expect((await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=history&flavour=excel`)).status).toBe(400)
  })

  it('downloads one domain, or every domain with an about sheet, as XLSX', async () => {
    const res = await h.app.request(`/api/trace/job/${jobId}/export.xlsx?domain=rejects`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers.get('Content-Disposition')).toContain('-rejects.xlsx"')
    const one = new ExcelJS.Workbook()
    await one.xlsx.load(await res.arrayBuffer())
    expect(one.worksheets.map((w) => w.name)).toEqual(['about', 'rejects'])
    expect((one.getWorksheet('rejects') as ExcelJS.Worksheet).rowCount).toBe(1 + 119 + CSV_HOSTILE_COMMENTS.length)

    const all = await h.app.request(`/api/trace/job/${jobId}/export.xlsx`)
    expect(all.headers.get('Content-Disposition')).toContain('-all.xlsx"')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(await all.arrayBuffer())
    expect(wb.worksheets.map((w) => w.name)).toEqual(['about', 'rejects', 'history'])
    const about = new Map(
      (wb.getWorksheet('about') as ExcelJS.Worksheet)
        .getSheetValues()
        .slice(1)
        .map((r) => [(r as unknown[])[1], (r as unknown[])[2]]),
    )
    expect(about.get('profile')).toBe('query_tool')
    expect(about.get('input_type')).toBe('work_order')
    expect(about.get('values')).toBe('GA24010001')
    expect(about.get('rows: history')).toBe(360)
    expect(String(about.get('data read until'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/)
  })

  it('refuses a domain the job did not fetch and a job that is not finished', async () => {
    expect((await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=holds`)).status).toBe(400)
    expect((await h.app.request(`/api/trace/job/${jobId}/export.csv?domain=nope`)).status).toBe(400)
    expect((await h.app.request(`/api/trace/job/${jobId}/export.xlsx?domain=holds`)).status).toBe(400)
    const cancelled = await submitTrace(h.app)
    await h.app.request(`/api/trace/job/${cancelled.job_id}`, { method: 'DELETE' })
    const res = await h.app.request(`/api/trace/job/${cancelled.job_id}/export.csv?domain=history`)
    expect(res.status).toBe(409)
    expect((await h.app.request(`/api/trace/job/${cancelled.job_id}/export.xlsx`)).status).toBe(409)
  })
})
