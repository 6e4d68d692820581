/**
 * GET /api/trace/msd-options: the detection stations that have history and the loss reasons the database
 * holds, for the defect-investigation form. One answer is kept for TRACE_MSD_OPTIONS_TTL_SECONDS and shared
 * by concurrent requests (two DISTINCT scans of the history and reject tables); a failed read is not kept.
 */
import { Hono } from 'hono'
import type { MsdOptions } from '../../shared/responses.ts'
import type { AppDeps } from '../app-deps.ts'
import { msdOptions } from '../pipeline/msd-options.ts'
import { stageError } from '../pipeline/stage-errors.ts'

/** The MSD options router, mounted at /api/trace/msd-options. */
export function msdOptionsRoutes(deps: Pick<AppDeps, 'source' | 'config'>): Hono {
  let kept: { readonly answer: Promise<MsdOptions>; readonly until: number } | undefined
  return new Hono().get('/', async (c) => {
    if (!kept || kept.until < Date.now()) {
      const answer = msdOptions(deps.source)
      const entry = { answer, until: Date.now() + deps.config.TRACE_MSD_OPTIONS_TTL_SECONDS * 1000 }
      kept = entry
      answer.catch(() => {
        if (kept === entry) kept = undefined
      })
    }
    try {
      const body = await kept.answer
      c.header('Cache-Control', `private, max-age=${deps.config.TRACE_MSD_OPTIONS_TTL_SECONDS}`)
      return c.json(body)
    } catch (err) {
      throw stageError(err, c.req.raw.signal, 'SEED_RESOLVE_FAILED', 'msd options query failed')
    }
  })
}
