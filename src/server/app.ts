/**
 * The Hono application: one router per resource under /api, the built client from dist/, one error handler.
 * Dependencies are passed in so tests build the same app around their own database and job service.
 */
import { resolve } from 'node:path'
import { Hono } from 'hono'
import type { AppDeps } from './app-deps.ts'
import { errorBody } from './http/api-error.ts'
import { clientKey } from './http/client-key.ts'
import { handleError } from './http/error-handler.ts'
import { allowedHostNames, hostCheck } from './http/host-check.ts'
import { identify } from './http/identity.ts'
import { jsonBodyLimit } from './http/json-body.ts'
import { rateLimit } from './http/rate-limit.ts'
import { jsonContentType, sameOriginOnly } from './http/request-origin.ts'
import { noStoreByDefault, securityHeaders } from './http/security-headers.ts'
import { mountClient } from './http/static-files.ts'
import { healthRoutes } from './routes/health.ts'
import { jobRoutes } from './routes/job-routes.ts'
import { jobSubmitRoutes } from './routes/job-submit.ts'
import { dataSpanRoutes } from './routes/trace-data-span.ts'
import { eventsRoutes } from './routes/trace-events.ts'
import { lineageRoutes } from './routes/trace-lineage.ts'
import { msdOptionsRoutes } from './routes/trace-msd-options.ts'
import { seedResolveRoutes } from './routes/trace-seed-resolve.ts'

/** Builds the app around its dependencies; it owns none of them (the caller closes source and jobs). */
export function createApp(deps: AppDeps): Hono {
  const { config } = deps
  const app = new Hono()
  app.onError(handleError)
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), 404))

  const ownHosts = allowedHostNames(config)
  app.use('*', hostCheck(ownHosts))
  app.use('*', securityHeaders())
  app.use('/api/*', noStoreByDefault())
  // The health status stays open to load balancers; its details need an admin (health.ts).
  app.use(
    '/api/*',
    identify(config, (path) => path === '/api/health'),
  )
  app.use('/api/*', sameOriginOnly(ownHosts))
  app.use('/api/*', jsonContentType())

  // Each POST route has its own bucket, counted before the body is read so a refused client costs nothing.
  const keyOf = (c: Parameters<typeof clientKey>[0]): string => clientKey(c, config.TRUST_PROXY)
  const guard = (path: string, name: string, limit: number): void => {
    app.use(path, rateLimit({ name, limit, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS, keyOf }))
    app.use(path, jsonBodyLimit(config.MAX_JSON_BODY_BYTES))
  }
  guard('/api/trace/seed-resolve', 'seed-resolve', config.RATE_LIMIT_SEED_RESOLVE)
  guard('/api/trace/lineage', 'lineage', config.RATE_LIMIT_LINEAGE)
  guard('/api/trace/events', 'events', config.RATE_LIMIT_EVENTS)
  guard('/api/trace/jobs', 'jobs', config.RATE_LIMIT_JOBS)
  const windowSeconds = config.RATE_LIMIT_WINDOW_SECONDS
  app.on(
    'GET',
    '/api/trace/job/*',
    rateLimit({ name: 'job read', limit: config.RATE_LIMIT_JOB_READS, windowSeconds, keyOf }),
  )
  app.on(
    'DELETE',
    '/api/trace/job/*',
    rateLimit({ name: 'job cancel', limit: config.RATE_LIMIT_JOB_CANCEL, windowSeconds, keyOf }),
  )

  app.route('/api/health', healthRoutes(deps))
  app.route('/api/trace/seed-resolve', seedResolveRoutes(deps))
  app.route('/api/trace/data-span', dataSpanRoutes(deps))
  app.route('/api/trace/msd-options', msdOptionsRoutes(deps))
  app.route('/api/trace/lineage', lineageRoutes(deps))
  app.route('/api/trace/events', eventsRoutes(deps))
  app.route('/api/trace/jobs', jobSubmitRoutes(deps))
  if (deps.jobs) app.route('/api/trace/job', jobRoutes({ jobs: deps.jobs, source: deps.source }))

  mountClient(app, resolve(deps.staticRoot ?? 'dist'))
  return app
}
