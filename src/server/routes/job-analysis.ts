/**
 * The defect analysis of a finished backward MSD job, answered from its stored state under any filter
 * (loss reasons, product type, package, workcenter group) without re-running the trace:
 * GET /api/trace/job/<id>/analysis, /analysis/suspect (one suspect's trend and lots, and a machine's maintenance
 * jobs in the window, read from the source), /analysis/lots (per-lot
 * detail, paged) and /analysis/lots.csv.
 */
import type { Context } from 'hono'
import { CSV_BOM, csvRow } from '../../shared/csv.ts'
import {
  analysisFilterOf,
  analysisLotsQuerySchema,
  analysisQuerySchema,
  suspectQuerySchema,
  type AnalysisLotsPage,
  LOT_DETAIL_COLUMNS,
} from '../../shared/defect-analysis.ts'
import { AttributionCache } from '../analysis/attribution-cache.ts'
import type { DefectAttribution } from '../analysis/defect-attribution.ts'
import { machineMaintenanceJobs } from '../analysis/machine-maintenance.ts'
import { ApiError } from '../http/api-error.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobService } from '../jobs/job-service.ts'
import type { MesSource } from '../source/mes-source.ts'
import { finishedResult } from './job-finished-result.ts'

const CSV_PAGE = 5000
const SUSPECT_LOTS = 200
const MAINTENANCE_JOBS = 100

/** The analysis handlers of one job service, sharing one cache of restored attributions. */
export function jobAnalysisHandlers(
  jobs: JobService,
  source: MesSource,
): {
  analysis: (c: Context) => Promise<Response>
  lots: (c: Context) => Promise<Response>
  lotsCsv: (c: Context) => Promise<Response>
  suspect: (c: Context) => Promise<Response>
} {
  const cache = new AttributionCache()

  const attributionOf = async (jobId: string): Promise<DefectAttribution> => {
    await finishedResult(jobs, jobId)
    const attribution = await cache.get(jobId, () => jobs.results.readAnalysis(jobId))
    if (!attribution) {
      throw new ApiError(
        404,
        'ANALYSIS_NOT_AVAILABLE',
        `job ${jobId} has no defect analysis: only backward defect investigations of a date range have one`,
      )
    }
    return attribution
  }

  return {
    async analysis(c) {
      const jobId = c.req.param('id') ?? ''
      const query = parseOrThrow(analysisQuerySchema, c.req.query())
      const attribution = await attributionOf(jobId)
      c.header('Cache-Control', 'no-store')
      return c.json(attribution.analyse(analysisFilterOf(query)))
    },

    async lots(c) {
      const jobId = c.req.param('id') ?? ''
      const query = parseOrThrow(analysisLotsQuerySchema, c.req.query())
      const attribution = await attributionOf(jobId)
      const { total, rows } = attribution.lotDetail(analysisFilterOf(query), query.offset, query.limit)
      const page: AnalysisLotsPage = { job_id: jobId, offset: query.offset, total, data: rows }
      c.header('Cache-Control', 'no-store')
      return c.json(page)
    },

    async suspect(c) {
      const jobId = c.req.param('id') ?? ''
      const query = parseOrThrow(suspectQuerySchema, c.req.query())
      const attribution = await attributionOf(jobId)
      // Key parts travel joined by '|', an empty part standing for a missing value (a machine without an id).
      const key = query.key.split('|').map((p) => (p === '' ? null : p))
      const detail = attribution.suspectDetail(query.dimension, key, analysisFilterOf(query), SUSPECT_LOTS)
      if (!detail)
        throw new ApiError(404, 'NOT_FOUND', `no ${query.dimension} suspect ${query.key} in job ${jobId}`, {
          field: 'key',
        })
      const window = attribution.window
      const machine =
        query.dimension === 'machine'
          ? { id: key[2] ?? null, name: key[1] }
          : query.dimension === 'detection_machine'
            ? { id: null, name: key[0] }
            : undefined
      const maintenance =
        window && machine?.name
          ? {
              window,
              ...(await machineMaintenanceJobs(
                source,
                { id: machine.id, name: machine.name },
                window,
                MAINTENANCE_JOBS,
                c.req.raw.signal,
              )),
            }
          : undefined
      c.header('Cache-Control', 'no-store')
      return c.json({ ...detail, ...(maintenance ? { maintenance } : {}) })
    },

    async lotsCsv(c) {
      const jobId = c.req.param('id') ?? ''
      const query = parseOrThrow(analysisQuerySchema, c.req.query())
      const attribution = await attributionOf(jobId)
      const filter = analysisFilterOf(query)
      c.header('Content-Type', 'text/csv; charset=utf-8')
      c.header('Content-Disposition', `attachment; filename="${jobId}-defect-lots.csv"`)
      c.header('Cache-Control', 'no-store')
      return streamBody(c, { what: 'defect lots csv', context: { job_id: jobId } }, async (out) => {
        await out.write(CSV_BOM + csvRow(LOT_DETAIL_COLUMNS))
        for (let offset = 0; ; offset += CSV_PAGE) {
          const { rows } = attribution.lotDetail(filter, offset, CSV_PAGE)
          if (rows.length === 0 || out.signal.aborted) return
          await out.write(rows.map((r) => csvRow(LOT_DETAIL_COLUMNS.map((k) => r[k]))).join(''))
        }
      })
    },
  }
}
