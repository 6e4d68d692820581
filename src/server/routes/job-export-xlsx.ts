/**
 * GET /api/trace/job/<id>/export.xlsx[?domain=]: a finished job as an XLSX download, one domain or (without
 * `domain`) every domain, a sheet each, after an "about" sheet with the query. Streamed: rows go from the
 * result chunks through exceljs' streaming writer to the client, whose pace the writer follows.
 */
import { Writable } from 'node:stream'
import type { Context } from 'hono'
import type { Domain } from '../../shared/domains.ts'
import { exportFileName } from '../../shared/export-names.ts'
import { xlsxExportQuerySchema } from '../../shared/export-query.ts'
import { writeXlsxExport } from '../export/xlsx-export.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { domainRows } from '../jobs/result-pages.ts'
import { setDownloadHeaders } from './download-headers.ts'
import { exportableJob, fetchedDomain } from './job-exportable.ts'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Handles the XLSX export request of job `c.req.param('id')`. */
export async function exportJobXlsx(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  const { domain } = parseOrThrow(xlsxExportQuerySchema, c.req.query())
  const { meta, about, profile } = await exportableJob(jobs, jobId)
  const domains: Domain[] = domain ? [domain] : [...meta.order]
  const columns = domains.map((d) => fetchedDomain(meta, d).columns)
  const part = domain ?? 'all'
  setDownloadHeaders(
    c,
    XLSX_TYPE,
    exportFileName({ profile, subject: about.subject, readAt: about.readAt, part, ext: 'xlsx' }),
  )
  return streamBody(c, { what: 'xlsx export', context: { job_id: jobId, domain: part } }, async (out) => {
    const sources = domains.map((d) => domainRows(jobs.results, meta, d))
    // The workbook's bytes go out as the zip produces them; a write is done when the client took it.
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        out.write(chunk).then(() => done(), done)
      },
    })
    // A failed write (the connection broke) stops the export at its next chunk instead of crashing the process.
    output.on('error', (err) => out.cut(err))
    try {
      await writeXlsxExport({
        output,
        about: about.lines,
        domains: domains.map((d, i) => ({ name: d, columns: columns[i], chunks: sources[i] })),
        signal: out.signal,
      })
    } catch (err) {
      output.destroy()
      throw err
    } finally {
      await Promise.all(sources.map((r) => r.return(undefined)))
    }
  })
}
