/**
 * GET /api/trace/job/<id>/result?domain=&offset=&limit=: one page of a finished job's domain, read from the
 * chunks it needs only and written chunk by chunk, `data` rows as objects (the default) or compact arrays
 * (row-shape.ts). A page is JSON made from rows, not the stored lines, so in gzip (when accepted) each slice is
 * compressed as it is written (gzip-body.ts).
 */
import type { Context } from 'hono'
import { DOMAIN_COLUMNS } from '../../shared/domains.ts'
import { resultQuerySchema } from '../../shared/query-schemas.ts'
import { negotiateRowShape, rowsToObjects } from '../../shared/row-shape.ts'
import { ApiError } from '../http/api-error.ts'
import { negotiateGzip } from '../http/gzip-body.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import { ChunkMissingError, pageRows } from '../jobs/result-pages.ts'
import { resultExpired } from './job-errors.ts'
import { finishedResult } from './job-finished-result.ts'

/** Handles the page request of job `c.req.param('id')`. */
export async function jobResultPage(c: Context, jobs: JobService): Promise<Response> {
  const jobId = c.req.param('id') ?? ''
  const query = parseOrThrow(resultQuerySchema, c.req.query())
  const { meta } = await finishedResult(jobs, jobId)
  const { domain, offset, limit } = query
  const shape = negotiateRowShape(query.shape, c.req.header('accept'))
  const dm = meta.domains[domain]
  if (!dm)
    throw new ApiError(400, 'INVALID_PARAMS', `domain ${domain} is not part of this job (${meta.order.join(', ')})`, {
      field: 'domain',
    })
  const total = dm.count
  const count = Math.max(0, Math.min(limit, total - offset))
  const pages = pageRows(jobs.results, meta, domain, offset, limit)
  // The first slice is read before the 200 goes out, so an expired result is still a clean 404.
  let first: IteratorResult<unknown[][], void>
  try {
    first = await pages.next()
  } catch (err) {
    if (err instanceof ChunkMissingError) throw resultExpired(jobId)
    throw err
  }

  const columns = DOMAIN_COLUMNS[domain]
  const head = JSON.stringify({ job_id: jobId, domain, columns, offset, limit, total, count }).slice(0, -1)
  c.header('Content-Type', 'application/json; charset=utf-8')
  c.header('Vary', 'Accept')
  // A failure after the 200 cannot be reported cleanly: the body is cut, so the client's parse fails.
  return streamBody(
    c,
    { what: 'job result page', context: { job_id: jobId, domain }, gzip: negotiateGzip(c) },
    async (out) => {
      let written = false
      const writeRows = async (rows: unknown[][]): Promise<void> => {
        if (rows.length === 0) return
        const text = JSON.stringify(shape === 'compact' ? rows : rowsToObjects(columns, rows))
        await out.write((written ? ',' : '') + text.slice(1, -1))
        written = true
      }
      try {
        await out.write(`${head},"data":[`)
        if (!first.done) await writeRows(first.value)
        for await (const rows of pages) {
          if (out.signal.aborted) return
          await writeRows(rows)
        }
        await out.write(']}')
      } finally {
        await pages.return(undefined)
      }
    },
  )
}
