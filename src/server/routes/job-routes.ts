/**
 * The job resource, mounted at /api/trace/job: status, cancel, the NDJSON stream, result pages, the CSV and
 * XLSX exports, the kept lineage and the defect analysis of one job. Submission is POST /api/trace/jobs (job-submit.ts).
 */
import { Hono } from 'hono'
import { identityOf } from '../http/identity.ts'
import type { AppDeps } from '../app-deps.ts'
import { jobAnalysisHandlers } from './job-analysis.ts'
import { assertMayCancel, jobNotFound } from './job-errors.ts'
import { exportJobCsv } from './job-export.ts'
import { exportJobXlsx } from './job-export-xlsx.ts'
import { jobLineage } from './job-lineage.ts'
import { jobResultPage } from './job-result.ts'
import { streamJob } from './job-stream.ts'

/** The router mounted at /api/trace/job. */
export function jobRoutes(deps: Required<Pick<AppDeps, 'jobs' | 'source'>>): Hono {
  const { jobs } = deps
  const analysis = jobAnalysisHandlers(jobs, deps.source)
  return new Hono()
    .get('/:id', async (c) => {
      const status = await jobs.status(c.req.param('id'))
      if (!status) throw jobNotFound(c.req.param('id'))
      return c.json(status)
    })
    .delete('/:id', async (c) => {
      const id = c.req.param('id')
      const before = await jobs.status(id)
      if (!before) throw jobNotFound(id)
      assertMayCancel(identityOf(c), before)
      if (!(await jobs.cancel(id))) throw jobNotFound(id)
      const status = await jobs.status(id)
      if (!status) throw jobNotFound(id)
      return c.json(status)
    })
    .get('/:id/stream', (c) => streamJob(c, jobs))
    .get('/:id/result', (c) => jobResultPage(c, jobs))
    .get('/:id/lineage', (c) => jobLineage(c, jobs))
    .get('/:id/export.csv', (c) => exportJobCsv(c, jobs))
    .get('/:id/export.xlsx', (c) => exportJobXlsx(c, jobs))
    .get('/:id/analysis', analysis.analysis)
    .get('/:id/analysis/suspect', analysis.suspect)
    .get('/:id/analysis/lots', analysis.lots)
    .get('/:id/analysis/lots.csv', analysis.lotsCsv)
}
