/**
 * GET /api/trace/job/<id>/export.csv?domain=: a finished job's domain as a CSV download, encoded chunk by
 * chunk with the shared encoder (UTF-8 BOM, CRLF, RFC 4180 quoting, formula-injection guard), each write
 * awaited, so memory holds one chunk whatever the domain's size.
 */
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import { CSV_BOM, csvRow } from '../../shared/csv.ts'
import { exportQuerySchema } from '../../shared/query-schemas.ts'
import { ApiError } from '../http/api-error.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { domainRows } from '../jobs/result-pages.ts'
import { log } from '../logger.ts'
import { finishedResult } from './job-finished-result.ts'

/** Handles the export request of job `c.req.param('id')`. */
export async function exportJobCsv(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  const { domain } = parseOrThrow(exportQuerySchema, c.req.query())
  const { meta } = await finishedResult(jobs, jobId)
  const dm = meta.domains[domain]
  if (!dm) throw new ApiError(400, 'INVALID_PARAMS', `domain ${domain} is not part of this job (${meta.order.join(', ')})`, { field: 'domain' })

  // Both parts are validated (job id pattern, domain enum), so the name needs no escaping.
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', `attachment; filename="${jobId}-${domain}.csv"`)
  c.header('Cache-Control', 'no-store')
  return stream(c, async (s) => {
    const rows = domainRows(jobs.results, meta, domain)
    try {
      await s.write(CSV_BOM + csvRow(dm.columns))
      for await (const chunk of rows) {
        if (s.aborted) return
        let text = ''
        for (const row of chunk) text += csvRow(row)
        await s.write(text)
      }
    } catch (err) {
      log.error('csv export failed', { job_id: jobId, domain, error: err instanceof Error ? err.message : String(err) })
      s.abort()
    } finally {
      await rows.return(undefined)
    }
  })
}
