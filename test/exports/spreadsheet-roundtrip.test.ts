/**
 * Issue 20: every export is opened in LibreOffice Calc (headless), saved as ODS and back as XLSX, and read
 * cell by cell: ids byte-identical (all-digit ones such as 4881000381000009 and e-form ones such as
 * 4881000381e00009 included), quantities numeric, timestamps dates. Covers the server's XLSX (one domain and
 * the workbook), its spreadsheet CSV, and the browser's XLSX of the shown view, on crafted rows and on a real
 * job; the CSV for scripts is opened too, to show the corruption the other exports exist to avoid.
 */
import { PassThrough } from 'node:stream'
import type ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { viewToCsv } from '../../src/client/export/csv-export.ts'
import { RowTable } from '../../src/client/rows/row-store.ts'
import { viewToXlsx } from '../../src/client/export/xlsx-export.ts'
import { writeXlsxExport } from '../../src/server/export/xlsx-export.ts'
import { CSV_BOM, csvEncoder, needsFormulaGuard } from '../../src/shared/csv.ts'
import { DOMAIN_COLUMNS } from '../../src/shared/domains.ts'
import { columnKind } from '../../src/shared/export-columns.ts'
import type { JobResultPage } from '../../src/shared/responses.ts'
import { openInLibreOffice, requireLibreOffice, sheetRows, type ExportFile } from '../helpers/libreoffice.ts'
import {
  startJobHarness,
  submitTrace,
  waitForStatus,
  wholeTraceBody,
  type JobHarness,
} from '../server/jobs/job-harness.ts'

const COLUMNS = DOMAIN_COLUMNS.history
const IDS = [
  '4881000381000009',
  '4881000381e00009',
  '48810380001cba48',
  '0000000000000001',
  '1234567890123456',
  '00000000000000e1',
  '1e10000000000000',
]
const EQUIPMENT = ['00123', '1E5', '12345678901234567890', 'EQ-01', '1-2', '3/4', 'TRUE']
const TIMES = [
  '2026-01-02T03:04:05',
  '2026-12-31T23:59:59',
  null,
  '2026-02-28T00:00:00',
  '2026-03-01T12:30:00',
  '2026-06-15T08:00:01',
  '2026-01-01T00:00:00',
]

/** Crafted history rows: every id shape that a spreadsheet alters, formula-looking names, odd quantities. */
function craftedRows(): unknown[][] {
  return IDS.map((cid, i) => {
    const row: Record<string, unknown> = {
      CONTAINERID: cid,
      CONTAINERNAME: `GA26010001-A00-00${i}`,
      WORKCENTERNAME: i % 2 ? '測試' : '焊接_DB',
      EQUIPMENTID: EQUIPMENT[i],
      EQUIPMENTNAME: [
        'Machine 0',
        ' lead and trail ',
        '=HYPERLINK("http://x")',
        'Machine 3',
        'line1\nline2',
        'Machine 5',
        'Machine 6',
      ][i],
      SPECNAME: i === 3 ? '+SPEC' : `SPEC-${i}`,
      TRACKINTIMESTAMP: TIMES[i],
      TRACKOUTTIMESTAMP: TIMES[(i + 1) % TIMES.length],
      TRACKINQTY: [1000, 0, -3, 12.5, 4881000381, 1, 2][i],
      TRACKOUTQTY: i === 4 ? null : 990,
      FINISHEDRUNCARD: '0012',
      PJ_WORKORDER: '2601',
      PJ_TYPE: 'QFN',
      PJ_BOP: '1.10',
      WAFER_LOT_ID: 'W2601-0001',
    }
    return COLUMNS.map((c) => row[c] ?? null)
  })
}

/** Checks each cell of `got` against the row values sent, per column kind. */
function expectSameCells(
  file: string,
  got: unknown[][],
  sent: readonly unknown[][],
  columns: readonly string[],
  csv: boolean,
): void {
  expect(got[0], `${file} header`).toEqual([...columns])
  expect(got.length - 1, `${file} rows`).toBe(sent.length)
  sent.forEach((row, r) => {
    columns.forEach((name, c) => {
      const where = `${file} row ${r + 1} ${name}`
      const want = row[c]
      const cell = got[r + 1][c]
      if (want === null || want === undefined) return expect(cell ?? null, where).toBeNull()
      const kind = columnKind(name)
      if (kind === 'number') return expect(cell, where).toBe(want)
      if (kind === 'datetime') {
        expect(cell, where).toBeInstanceOf(Date)
        // Serial day numbers carry float noise: compare to the second.
        const second = new Date(Math.round((cell as Date).getTime() / 1000) * 1000)
        // A day (TXN_DAY) comes back as that day at midnight.
        return expect(second.toISOString().slice(0, String(want).length === 10 ? 10 : 19), where).toBe(want)
      }
      // Calc keeps no tab character in a cell (a tab moves to the next one), and its CSV import reads a quoted CR
      // as a line break; ids and names never hold either.
      let text = String(want)
      if (kind === 'text') text = text.replaceAll('\t', '')
      if (kind === 'text' && csv) text = text.replace(/\r\n?/g, '\n')
      // A CSV cannot say "text" but through the guard, which a spreadsheet shows: the XLSX needs none.
      expect(cell, where).toBe(csv && needsFormulaGuard(String(want)) ? `'${text}` : text)
    })
  })
}

/** No cell came out a formula: formula-looking text stayed text. */
function expectNoFormulas(file: string, wb: ExcelJS.Workbook): void {
  for (const sheet of wb.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.formula, `${file} ${sheet.name}!${cell.address}`).toBeFalsy()),
    )
  }
}

async function serverXlsx(rows: unknown[][]): Promise<Uint8Array> {
  const output = new PassThrough()
  const parts: Buffer[] = []
  output.on('data', (b: Buffer) => parts.push(b))
  async function* chunks(): AsyncGenerator<unknown[][]> {
    yield rows.slice(0, 3)
    yield rows.slice(3)
  }
  await writeXlsxExport({
    output,
    about: [{ label: 'profile', value: 'query_tool' }],
    domains: [{ name: 'history', columns: COLUMNS, chunks: chunks() }],
  })
  return Buffer.concat(parts)
}

function spreadsheetCsv(columns: readonly string[], rows: readonly unknown[][]): Uint8Array {
  const enc = csvEncoder(columns, 'spreadsheet')
  return Buffer.from(CSV_BOM + enc.header() + rows.map((r) => enc.row(r)).join(''), 'utf8')
}

describe.skipIf(await requireLibreOffice())('exports opened in LibreOffice Calc', () => {
  const rows = craftedRows()
  let opened: Map<string, ExcelJS.Workbook>
  let h: JobHarness
  let jobRows: Record<'history' | 'rejects', unknown[][]>

  beforeAll(async () => {
    h = await startJobHarness({ lots: 40, historyPerLot: 2 })
    const jobId = (await submitTrace(h.app, wholeTraceBody(['history', 'rejects']))).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished')
    const page = async (domain: string): Promise<unknown[][]> =>
      (
        (await (
          await h.app.request(`/api/trace/job/${jobId}/result?domain=${domain}&limit=10000&shape=compact`)
        ).json()) as JobResultPage
      ).data
    jobRows = { history: await page('history'), rejects: await page('rejects') }
    const get = async (path: string): Promise<Uint8Array> =>
      new Uint8Array(await (await h.app.request(`/api/trace/job/${jobId}/${path}`)).arrayBuffer())

    const table = new RowTable('history', COLUMNS)
    table.appendRows(rows)
    const files: ExportFile[] = [
      { name: 'server-crafted.xlsx', bytes: await serverXlsx(rows) },
      { name: 'server-crafted-spreadsheet.csv', bytes: spreadsheetCsv(COLUMNS, rows) },
      {
        name: 'browser-view.xlsx',
        bytes: new Uint8Array(
          await (await viewToXlsx(table, null, [{ label: 'profile', value: 'query_tool' }])).arrayBuffer(),
        ),
      },
      { name: 'browser-view-scripts.csv', bytes: new Uint8Array(await viewToCsv(table, null).arrayBuffer()) },
      { name: 'job-all.xlsx', bytes: await get('export.xlsx') },
      { name: 'job-history.xlsx', bytes: await get('export.xlsx?domain=history') },
      { name: 'job-history-spreadsheet.csv', bytes: await get('export.csv?domain=history&flavour=spreadsheet') },
      { name: 'job-rejects-spreadsheet.csv', bytes: await get('export.csv?domain=rejects&flavour=spreadsheet') },
      { name: 'job-history-scripts.csv', bytes: await get('export.csv?domain=history') },
    ]
    opened = await openInLibreOffice(files)
  }, 300_000)
  afterAll(async () => h?.close())

  const sheet = (file: string, name?: string): ExcelJS.Worksheet => {
    const wb = opened.get(file) as ExcelJS.Workbook
    return (name ? wb.getWorksheet(name) : wb.worksheets[0]) as ExcelJS.Worksheet
  }

  it('keeps every id of the server XLSX byte-identical, quantities numeric and timestamps dates', () => {
    expect(opened.get('server-crafted.xlsx')?.worksheets.map((s) => s.name)).toEqual(['about', 'history'])
    expectSameCells('server-crafted.xlsx', sheetRows(sheet('server-crafted.xlsx', 'history')), rows, COLUMNS, false)
    expectNoFormulas('server-crafted.xlsx', opened.get('server-crafted.xlsx') as ExcelJS.Workbook)
  })

  it('keeps every id of the spreadsheet CSV byte-identical, quantities numeric and timestamps dates', () => {
    expectSameCells(
      'server-crafted-spreadsheet.csv',
      sheetRows(sheet('server-crafted-spreadsheet.csv')),
      rows,
      COLUMNS,
      true,
    )
  })

  it('keeps every id of the browser XLSX of the shown view byte-identical, quantities numeric, timestamps dates', () => {
    expectSameCells('browser-view.xlsx', sheetRows(sheet('browser-view.xlsx', 'history')), rows, COLUMNS, false)
    expectNoFormulas('browser-view.xlsx', opened.get('browser-view.xlsx') as ExcelJS.Workbook)
  })

  it("keeps a real job's ids, quantities and timestamps in its XLSX exports and spreadsheet CSVs", () => {
    expect(opened.get('job-all.xlsx')?.worksheets.map((s) => s.name)).toEqual(['about', 'history', 'rejects'])
    expectSameCells(
      'job-all.xlsx history',
      sheetRows(sheet('job-all.xlsx', 'history')),
      jobRows.history,
      COLUMNS,
      false,
    )
    expectSameCells(
      'job-all.xlsx rejects',
      sheetRows(sheet('job-all.xlsx', 'rejects')),
      jobRows.rejects,
      DOMAIN_COLUMNS.rejects,
      false,
    )
    expectNoFormulas('job-all.xlsx', opened.get('job-all.xlsx') as ExcelJS.Workbook)
    expectSameCells(
      'job-history.xlsx',
      sheetRows(sheet('job-history.xlsx', 'history')),
      jobRows.history,
      COLUMNS,
      false,
    )
    expectSameCells(
      'job-history-spreadsheet.csv',
      sheetRows(sheet('job-history-spreadsheet.csv')),
      jobRows.history,
      COLUMNS,
      true,
    )
    expectSameCells(
      'job-rejects-spreadsheet.csv',
      sheetRows(sheet('job-rejects-spreadsheet.csv')),
      jobRows.rejects,
      DOMAIN_COLUMNS.rejects,
      true,
    )
  })

  it('shows why the CSV for scripts is not for spreadsheets: a spreadsheet alters its all-digit ids', () => {
    const crafted = sheetRows(sheet('browser-view-scripts.csv'))
    expect(crafted[1][0]).not.toBe('4881000381000009')
    expect(crafted[2][0]).not.toBe('4881000381e00009')
    const job = sheetRows(sheet('job-history-scripts.csv'))
    expect(job[1][0]).not.toBe(jobRows.history[0][0])
  })
})
