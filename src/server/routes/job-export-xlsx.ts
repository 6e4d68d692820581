/**
 * GET /api/trace/job/<id>/export.xlsx[?domain=]: a finished job as an XLSX download, one domain or (without
 * `domain`) every domain, a sheet each, after an "about" sheet with the query. Streamed: rows go from the
 * result chunks through exceljs' streaming writer to the client, whose pace the writer follows.
 */
import { Writable } from 'node:stream'
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import type { Domain } from '../../shared/domains.ts'
import { exportFileName } from '../../shared/export-names.ts'
import { xlsxExportQuerySchema } from '../../shared/export-query.ts'
import { writeXlsxExport } from '../export/xlsx-export.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { domainRows } from '../jobs/result-pages.ts'
import { log } from '../logger.ts'
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
  return stream(c, async (s) => {
    const abort = new AbortController()
    s.onAbort(() => abort.abort(new Error('the client went away')))
    const sources = domains.map((d) => domainRows(jobs.results, meta, d))
    // The workbook's bytes go out as the zip produces them; a write is done when the client took it.
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        s.write(chunk).then(() => done(), done)
      },
    })
    // A failed write (the connection broke) stops the export at its next chunk instead of crashing the process.
    output.on('error', (err) => abort.abort(err))
    try {
      await writeXlsxExport({
        output,
        about: about.lines,
        domains: domains.map((d, i) => ({ name: d, columns: columns[i], chunks: sources[i] })),
        signal: abort.signal,
      })
    } catch (err) {
      if (!abort.signal.aborted) {
        log.error('xlsx export failed', {
          job_id: jobId,
          domain: part,
          error: err instanceof Error ? err.message : String(err),
        })
      }
      output.destroy()
      s.abort()
    } finally {
      await Promise.all(sources.map((r) => r.return(undefined)))
    }
  })
}
