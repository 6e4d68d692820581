/**
 * Opens files in LibreOffice Calc, headless, as an engineer would open an export: each file is loaded (CSV
 * with the import settings of the dialog's defaults for a comma-separated UTF-8 file), saved in LibreOffice's
 * own format (ODS), and that saved back as XLSX, which the test reads with exceljs to see what the spreadsheet
 * made of every cell. Without `soffice` the suites are skipped with a warning, except in CI (CI=true), where
 * .ci/run installs libreoffice-calc-nogui and a missing one fails the run.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'

const run = promisify(execFile)

/** Resolves true when the suite must be skipped (no soffice outside CI); throws in CI. */
export async function requireLibreOffice(): Promise<boolean> {
  try {
    await run('soffice', ['--version'], { timeout: 60_000 })
    return false
  } catch (err) {
    const message = `LibreOffice (soffice) is not runnable (${err instanceof Error ? err.message : String(err)})`
    if (process.env.CI === 'true')
      throw new Error(`${message}: CI must install libreoffice-calc-nogui (see .ci/run)`, { cause: err })
    console.warn(`\n!!!!! ${message}: SKIPPING the spreadsheet round-trip tests !!!!!\n`)
    return true
  }
}

/** A file to open: its name decides how LibreOffice reads it (`.csv` or `.xlsx`). */
export interface ExportFile {
  readonly name: string
  readonly bytes: Uint8Array
}

/** Comma, double quote, UTF-8 (76), from line 1: the CSV dialog's settings for our files. */
const CSV_IMPORT = 'CSV:44,34,76,1'

/** Opens every file in LibreOffice and returns what each became, by file name. */
export async function openInLibreOffice(files: readonly ExportFile[]): Promise<Map<string, ExcelJS.Workbook>> {
  const dir = mkdtempSync(join(tmpdir(), 'mes-lo-'))
  try {
    // A profile of its own: a LibreOffice already running (another test, a user) would take the job otherwise.
    const profile = `-env:UserInstallation=file://${join(dir, 'profile')}`
    const input = join(dir, 'in')
    const ods = join(dir, 'ods')
    const back = join(dir, 'back')
    for (const d of [input, ods, back]) mkdirSync(d)
    for (const f of files) writeFileSync(join(input, f.name), f.bytes)
    const soffice = (args: string[]): Promise<unknown> =>
      run('soffice', [profile, '--headless', '--norestore', ...args], { timeout: 180_000 })
    const csv = files.filter((f) => f.name.endsWith('.csv')).map((f) => join(input, f.name))
    const xlsx = files.filter((f) => !f.name.endsWith('.csv')).map((f) => join(input, f.name))
    if (csv.length > 0) await soffice([`--infilter=${CSV_IMPORT}`, '--convert-to', 'ods', '--outdir', ods, ...csv])
    if (xlsx.length > 0) await soffice(['--convert-to', 'ods', '--outdir', ods, ...xlsx])
    await soffice(['--convert-to', 'xlsx', '--outdir', back, ...files.map((f) => join(ods, stem(f.name) + '.ods'))])
    const out = new Map<string, ExcelJS.Workbook>()
    for (const f of files) {
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(readFileSync(join(back, stem(f.name) + '.xlsx')) as unknown as ArrayBuffer)
      out.set(f.name, wb)
    }
    return out
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * What a cell holds once opened: a formula's result (a `="…"` cell of the spreadsheet CSV), the text of rich
 * text (LibreOffice saves text mixing Latin and CJK as runs, one font each), or its value.
 */
export function cellValue(cell: ExcelJS.Cell): unknown {
  const v = cell.value
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    if ('result' in v) return v.result
    if ('richText' in v) return v.richText.map((run) => run.text).join('')
  }
  return v
}

/** Rows of a sheet (header first) as arrays of cell values, column 1 at index 0. */
export function sheetRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = []
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = []
    for (let c = 1; c <= sheet.columnCount; c++) values.push(cellValue(row.getCell(c)))
    rows[row.number - 1] = values
  })
  return rows
}

function stem(name: string): string {
  return basename(name).replace(/\.[^.]+$/, '')
}
