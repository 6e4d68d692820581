/** POST /api/trace/lineage: seed CIDs → the genealogy (forward descendants or backward ancestors). */
import { Hono } from 'hono'
import { traceDirection } from '../../shared/domains.ts'
import { lineageRequestSchema } from '../../shared/schemas.ts'
import type { LineageResponse } from '../../shared/responses.ts'
import type { AppDeps } from '../app-deps.ts'
import { readJsonBody } from '../http/json-body.ts'
import { traceLineage } from '../pipeline/lineage.ts'

/** The lineage router, mounted at /api/trace/lineage. */
export function lineageRoutes(deps: Pick<AppDeps, 'config' | 'source'>): Hono {
  return new Hono().post('/', async (c) => {
    const body = await readJsonBody(c, lineageRequestSchema)
    const direction = traceDirection(body.profile, body.params)
    const response: LineageResponse = await traceLineage(
      deps.source,
      { profile: body.profile, seeds: [...new Set(body.container_ids)], direction },
      { config: deps.config, signal: c.req.raw.signal },
    )
    return c.json(response)
  })
}
