/**
 * GET /api/trace/job/<id>/export.csv?domain=&flavour=: a finished job's domain as a CSV download, encoded
 * chunk by chunk with the shared encoder (UTF-8 BOM, CRLF, RFC 4180 quoting, formula-injection guard; the
 * `spreadsheet` flavour keeps ids as text in a spreadsheet), each write awaited, so memory holds one chunk
 * whatever the domain's size. The CSV is made from rows, so it cannot reuse the stored gzip: in gzip (when
 * accepted) each chunk's text is compressed on its own as it goes (gzip-body.ts).
 */
import type { Context } from 'hono'
import { CSV_BOM, csvEncoder } from '../../shared/csv.ts'
import { exportFileName } from '../../shared/export-names.ts'
import { csvExportQuerySchema } from '../../shared/export-query.ts'
import { negotiateGzip } from '../http/gzip-body.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { domainRows } from '../jobs/result-pages.ts'
import { setDownloadHeaders } from './download-headers.ts'
import { exportableJob, fetchedDomain } from './job-exportable.ts'

/** Handles the export request of job `c.req.param('id')`. */
export async function exportJobCsv(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  const { domain, flavour } = parseOrThrow(csvExportQuerySchema, c.req.query())
  const { meta, about, profile } = await exportableJob(jobs, jobId)
  const dm = fetchedDomain(meta, domain)
  const part = flavour === 'spreadsheet' ? `${domain}-for-spreadsheets` : domain
  setDownloadHeaders(
    c,
    'text/csv; charset=utf-8',
    exportFileName({ profile, subject: about.subject, readAt: about.readAt, part, ext: 'csv' }),
  )
  const encoder = csvEncoder(dm.columns, flavour)
  return streamBody(
    c,
    { what: 'csv export', context: { job_id: jobId, domain }, gzip: negotiateGzip(c) },
    async (out) => {
      const rows = domainRows(jobs.results, meta, domain)
      try {
        await out.write(CSV_BOM + encoder.header())
        for await (const chunk of rows) {
          if (out.signal.aborted) return
          let text = ''
          for (const row of chunk) text += encoder.row(row)
          await out.write(text)
        }
      } finally {
        await rows.return(undefined)
      }
    },
  )
}
