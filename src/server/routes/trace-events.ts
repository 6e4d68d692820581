/**
 * POST /api/trace/events: every event row of every container of a trace, per domain. Small requests stream
 * here (see trace-events-body.ts for the body and its partial-failure rule); large ones become jobs or are
 * refused (trace-events-admission.ts).
 */
import { Hono } from 'hono'
import { traceDirection } from '../../shared/domains.ts'
import { negotiateRowShape } from '../../shared/row-shape.ts'
import { eventsQuerySchema, eventsRequestSchema } from '../../shared/schemas.ts'
import type { AppDeps } from '../app-deps.ts'
import { identityOf } from '../http/identity.ts'
import { readJsonBody } from '../http/json-body.ts'
import { streamBody } from '../http/stream-body.ts'
import { parseOrThrow } from '../http/validation.ts'
import type { JobInput } from '../jobs/job-service.ts'
import { log } from '../logger.ts'
import { resolveDomains } from '../pipeline/events.ts'
import { lineageQueryId as lineageQueryIdOf } from '../pipeline/lineage.ts'
import { admitEvents, trySubmitJob } from './trace-events-admission.ts'
import { writeEventsBody } from './trace-events-body.ts'
import { checkLineageRef, lineageCids, uniqueIds } from './trace-events-input.ts'

/** The events router, mounted at /api/trace/events. */
export function eventsRoutes(deps: Pick<AppDeps, 'config' | 'source' | 'jobs'>): Hono {
  const { config, source } = deps
  return new Hono().post('/', async (c) => {
    const shape = negotiateRowShape(parseOrThrow(eventsQuerySchema, c.req.query()).shape, c.req.header('accept'))
    const body = await readJsonBody(c, eventsRequestSchema)
    const { profile } = body
    const direction = traceDirection(profile, body.params)
    const domains = resolveDomains(profile, direction, body.domains)
    const requestSignal = c.req.raw.signal
    const owner = identityOf(c).user

    let cids: string[]
    let input: JobInput
    const seeds = uniqueIds(body.seed_container_ids ?? [])
    // The old defect-investigation page sends its seeds as container_ids and seed_container_ids without a
    // lineage reference, and its server traced their family: so does this one, rather than answer for seeds only.
    const oldMsdForm = profile === 'mid_section_defect' && !body.lineage_query_id && seeds.length > 0
    const byRef = (Boolean(body.lineage_query_id) && seeds.length > 0) || oldMsdForm
    if (body.container_ids && body.container_ids.length > 0 && !byRef) {
      cids = uniqueIds(body.container_ids)
      input = { kind: 'container_ids', container_ids: cids, direction }
    } else {
      const lineageQueryId = oldMsdForm ? lineageQueryIdOf(profile, direction, seeds) : (body.lineage_query_id ?? '')
      checkLineageRef(profile, direction, lineageQueryId, seeds)
      input = { kind: 'lineage_ref', lineage_query_id: lineageQueryId, seed_container_ids: seeds, direction }
      // A lineage holds at least its seeds: when they alone pass the async threshold, the worker computes it.
      if (deps.jobs && seeds.length > config.TRACE_ASYNC_CID_THRESHOLD) {
        const outcome = await trySubmitJob(deps.jobs, { profile, domains, input, cid_count: 0, owner })
        if (outcome.status === 'accepted') return c.json(outcome.accepted, 202)
      }
      cids = await lineageCids(source, { profile, direction, seeds }, { config, signal: requestSignal })
    }

    const accepted = await admitEvents(deps, { profile, domains, input, cid_count: cids.length, owner })
    if (accepted) return c.json(accepted, 202)

    c.header('Content-Type', 'application/json; charset=utf-8')
    c.header('Cache-Control', 'no-cache, no-transform')
    c.header('X-Accel-Buffering', 'no')
    c.header('Vary', 'Accept')
    const context = { profile, cid_count: cids.length }
    return streamBody(c, { what: 'events stream', context }, async (out) => {
      // The time limit of the synchronous stage: past it the queries are cancelled and the body ends unfinished,
      // which the client reports as a failed request (the 200 is already out).
      const deadline = AbortSignal.timeout(config.EVENTS_TIMEOUT_SECONDS * 1000)
      const signal = AbortSignal.any([out.signal, deadline])
      const started = Date.now()
      try {
        await writeEventsBody(out.write, { source, config, profile, direction, domains, cids, shape, signal })
      } catch (err) {
        if (deadline.aborted) {
          log.warn('events stream cut at EVENTS_TIMEOUT_SECONDS', { ...context, limit: config.EVENTS_TIMEOUT_SECONDS })
          out.cut(deadline.reason)
        }
        throw err
      }
      log.info('events streamed', { ...context, domains, ms: Date.now() - started })
    })
  })
}
