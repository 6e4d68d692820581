/**
 * The job resource, mounted at /api/trace/job: status, cancel, the NDJSON stream, result pages and the CSV
 * and XLSX exports of one job. Submission is POST /api/trace/jobs (job-submit.ts).
 */
import { Hono } from 'hono'
import type { JobService } from '../jobs/job-service.ts'
import { jobNotFound } from './job-errors.ts'
import { exportJobCsv } from './job-export.ts'
import { exportJobXlsx } from './job-export-xlsx.ts'
import { jobResultPage } from './job-result.ts'
import { streamJob } from './job-stream.ts'

/** The router mounted at /api/trace/job. */
export function jobRoutes(deps: { readonly jobs: JobService }): Hono {
  const { jobs } = deps
  return new Hono()
    .get('/:id', async (c) => {
      const status = await jobs.status(c.req.param('id'))
      if (!status) throw jobNotFound(c.req.param('id'))
      return c.json(status)
    })
    .delete('/:id', async (c) => {
      const id = c.req.param('id')
      if (!(await jobs.cancel(id))) throw jobNotFound(id)
      const status = await jobs.status(id)
      if (!status) throw jobNotFound(id)
      return c.json(status)
    })
    .get('/:id/stream', (c) => streamJob(c, jobs))
    .get('/:id/result', (c) => jobResultPage(c, jobs))
    .get('/:id/export.csv', (c) => exportJobCsv(c, jobs))
    .get('/:id/export.xlsx', (c) => exportJobXlsx(c, jobs))
}
