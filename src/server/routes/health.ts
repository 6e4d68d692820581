/** GET /api/health: the server is up and the MES database answers. */
import { Hono } from 'hono'
import type { AppDeps } from '../app.ts'
import { ApiError } from '../http/api-error.ts'

/** The health router, mounted at /api/health. */
export function healthRoutes(deps: AppDeps): Hono {
  return new Hono().get('/', async (c) => {
    try {
      await deps.source.ping()
    } catch (err) {
      throw new ApiError(503, 'SERVICE_UNAVAILABLE', `MES database unreachable: ${err instanceof Error ? err.message : String(err)}`)
    }
    return c.json({ status: 'ok', source: deps.source.dialect, jobs: deps.jobs ? 'enabled' : 'disabled' })
  })
}
