/**
 * GET /api/trace/data-span?station=測試: the first and last day a detection station has track-ins for, so
 * the defect-investigation form can offer the data the database holds instead of an empty last month.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { StationDataSpan } from '../../shared/responses.ts'
import { DEFAULT_DETECTION_STATION, findWorkcenterGroup } from '../../shared/workcenter-groups.ts'
import type { AppDeps } from '../app-deps.ts'
import { ApiError } from '../http/api-error.ts'
import { parseOrThrow } from '../http/validation.ts'
import { stationDataSpan } from '../pipeline/station-data-span.ts'
import { stageError } from '../pipeline/stage-errors.ts'

const querySchema = z.object({ station: z.string().trim().min(1).default(DEFAULT_DETECTION_STATION) })

/** The data-span router, mounted at /api/trace/data-span. */
export function dataSpanRoutes(deps: Pick<AppDeps, 'config' | 'source'>): Hono {
  return new Hono().get('/', async (c) => {
    const { station } = parseOrThrow(querySchema, c.req.query())
    const group = findWorkcenterGroup(station)
    if (!group) throw new ApiError(400, 'INVALID_PARAMS', `unknown detection station: ${station}`, { field: 'station' })
    try {
      const span = await stationDataSpan(deps.source, group, { config: deps.config, signal: c.req.raw.signal })
      const body: StationDataSpan = { station, ...span }
      return c.json(body)
    } catch (err) {
      throw stageError(err, c.req.raw.signal, 'SEED_RESOLVE_FAILED', 'data span query failed')
    }
  })
}
