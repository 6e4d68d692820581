/** Runs useTraceProgress inside an effect scope against an msw server, recording every request. */
import { QueryClient } from '@tanstack/vue-query'
import { setupServer } from 'msw/node'
import { effectScope, type EffectScope } from 'vue'
import { afterAll, afterEach, beforeAll } from 'vitest'
import {
  useTraceProgress,
  type TraceProgress,
  type UseTraceProgressOptions,
} from '../../../src/client/trace/useTraceProgress.ts'

export interface Harness {
  readonly trace: TraceProgress
  readonly scope: EffectScope
  readonly client: QueryClient
}

/** The msw server of a test file, with a log of `METHOD path?query` of every request. */
export function useMswServer(): { server: ReturnType<typeof setupServer>; requests: string[] } {
  const server = setupServer()
  const requests: string[] = []
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url)
    requests.push(`${request.method} ${url.pathname}${url.search}`)
  })
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    requests.length = 0
  })
  afterAll(() => server.close())
  return { server, requests }
}

const scopes: EffectScope[] = []
afterEach(() => {
  for (const s of scopes.splice(0)) s.stop()
})

/** A fresh useTraceProgress with fast polling; stopped after the test. */
export function startTrace(options: UseTraceProgressOptions = {}): Harness {
  const client = new QueryClient()
  const scope = effectScope()
  scopes.push(scope)
  const trace = scope.run(() =>
    useTraceProgress({
      queryClient: client,
      pollIntervalMs: 20,
      pollMaxIntervalMs: 50,
      resumeDelayMs: 10,
      scheduleFrame: (cb) => setTimeout(cb, 0),
      cancelFrame: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    }),
  )!
  return { trace, scope, client }
}
