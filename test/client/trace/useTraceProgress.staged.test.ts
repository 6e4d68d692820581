// @vitest-environment happy-dom
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import type { EventsResponse, ForwardLineageResponse, SeedResolveResponse } from '../../../src/shared/responses.ts'
import type { JobRequest } from '../../../src/shared/schemas.ts'
import { ndjsonResponse } from '../support/ndjson-body.ts'
import { JOB_ID, ROWS, accepted, jobStatus, typicalLines } from '../support/trace-fixtures.ts'
import { startTrace, useMswServer } from '../support/trace-harness.ts'

const { server, requests } = useMswServer()

const REQUEST: JobRequest = {
  profile: 'query_tool',
  params: { input_type: 'lot_id', values: 'GA23100020-A00-011\nGA-MISSING' },
  domains: ['history'],
}
const SEEDS = ['48810380001cba48', '48810380001cba49']

const resolved: SeedResolveResponse = {
  stage: 'seed-resolve',
  seeds: SEEDS.map((id, i) => ({
    container_id: id,
    container_name: `GA23100020-A00-01${i}`,
    lot_id: `GA23100020-A00-01${i}`,
  })),
  seed_count: 2,
  not_found: ['GA-MISSING'],
  expansion_info: [],
}

const family: ForwardLineageResponse = {
  stage: 'lineage',
  direction: 'forward',
  roots: [SEEDS[0]],
  children_map: { [SEEDS[0]]: [SEEDS[1]] },
  leaf_serials: {},
  serials: {},
  names: {},
  nodes: [],
  edges: [{ from: SEEDS[0], to: SEEDS[1], type: 'split_from' }],
  total_nodes: 2,
  lineage_query_id: 'lin-0123456789abcdef0123456789abcdef',
}

const events: EventsResponse = {
  stage: 'events',
  results: { history: { columns: [...DOMAIN_COLUMNS.history], data: ROWS, count: 3 } },
  aggregation: null,
}

function stagedServer(eventsAnswer: () => Response): { bodies: Record<string, unknown> } {
  const bodies: Record<string, unknown> = {}
  server.use(
    http.post('*/api/trace/seed-resolve', async ({ request }) => {
      bodies.seed = await request.json()
      return HttpResponse.json(resolved)
    }),
    http.post('*/api/trace/lineage', async ({ request }) => {
      bodies.lineage = await request.json()
      return HttpResponse.json(family)
    }),
    http.post('*/api/trace/events', async ({ request }) => {
      bodies.events = await request.json()
      return eventsAnswer()
    }),
  )
  return { bodies }
}

describe('useTraceProgress on the staged path', () => {
  it('resolves seeds, fetches the lineage, then the rows, passing the lineage reference', async () => {
    const { bodies } = stagedServer(() => HttpResponse.json(events))
    const { trace } = startTrace()
    await trace.execute(REQUEST)

    expect(trace.runStatus.value).toBe('finished')
    expect(trace.path.value).toBe('staged')
    expect(requests).toEqual(['POST /api/trace/seed-resolve', 'POST /api/trace/lineage', 'POST /api/trace/events'])
    expect(bodies.seed).toEqual({ profile: 'query_tool', params: REQUEST.params })
    expect(bodies.lineage).toEqual({ profile: 'query_tool', container_ids: SEEDS, params: { direction: 'forward' } })
    expect(bodies.events).toEqual({
      profile: 'query_tool',
      lineage_query_id: family.lineage_query_id,
      seed_container_ids: SEEDS,
      domains: ['history'],
      params: { direction: 'forward' },
    })
    expect(trace.seeds.value).toMatchObject({ seed_count: 2, not_found: ['GA-MISSING'] })
    expect(trace.lineage.value).toEqual(family)
    expect(trace.store.get('history')!.length).toBe(3)
    expect(trace.completedStages.value).toEqual(['seed-resolve', 'lineage', 'events', 'streaming'])
    expect(trace.jobId.value).toBeNull()
  })

  it('follows the job when the events call answers 202', async () => {
    stagedServer(() => HttpResponse.json(accepted(), { status: 202 }))
    server.use(
      http.get('*/api/trace/job/:id', () => HttpResponse.json(jobStatus('started', 'events'))),
      http.get('*/api/trace/job/:id/stream', () => ndjsonResponse(typicalLines())),
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(trace.jobId.value).toBe(JOB_ID)
    expect(trace.store.get('history')!.length).toBe(3)
  })

  it('ends as "empty", not failed, when nothing matched, keeping the server’s reason', async () => {
    const reason = 'no lot name matched GA-MISSING'
    server.use(
      http.post('*/api/trace/seed-resolve', () =>
        HttpResponse.json({
          ...resolved,
          seeds: [],
          seed_count: 0,
          not_found: ['GA-MISSING'],
          no_seeds_reason: reason,
        }),
      ),
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    expect(trace.runStatus.value).toBe('empty')
    expect(trace.stageErrors.value.seed).toBeNull()
    expect(trace.seeds.value?.no_seeds_reason).toBe(reason)
    expect(requests).toEqual(['POST /api/trace/seed-resolve'])
  })

  it('names the lineage stage when the lineage call fails', async () => {
    stagedServer(() => HttpResponse.json(events))
    server.use(
      http.post('*/api/trace/lineage', () =>
        HttpResponse.json(
          {
            success: false,
            error: { code: 'LINEAGE_TIMEOUT', message: 'lineage took longer than 60 s' },
            meta: { timestamp: 'x' },
          },
          { status: 504 },
        ),
      ),
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    expect(trace.stageErrors.value).toEqual({
      seed: null,
      lineage: { code: 'LINEAGE_TIMEOUT', message: 'lineage took longer than 60 s' },
      events: null,
    })
    expect(trace.completedStages.value).toEqual(['seed-resolve'])
    expect(trace.currentStage.value).toBe('lineage')
  })

  it('reports partial failures and count mismatches of an inline answer', async () => {
    const partial: EventsResponse = {
      ...events,
      results: { history: { columns: [...DOMAIN_COLUMNS.history], data: ROWS.slice(0, 2), count: 3 } },
      code: 'EVENTS_PARTIAL_FAILURE',
      failed_domains: [{ domain: 'jobs', code: 'EVENTS_FAILED', message: 'boom' }],
    }
    stagedServer(() => HttpResponse.json(partial))
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    expect(trace.warnings.value).toEqual(partial.failed_domains)
    expect(trace.stageErrors.value.events).toMatchObject({ code: 'COUNT_MISMATCH' })
  })
})

describe('useTraceProgress timing (fake timers)', () => {
  const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const }

  function runningJob(): { polls: () => number } {
    server.use(
      http.post('*/api/trace/jobs', () => HttpResponse.json(accepted(), { status: 202 })),
      http.get('*/api/trace/job/:id', () => HttpResponse.json(jobStatus('started', 'events'))),
      http.get('*/api/trace/job/:id/stream', () => ndjsonResponse(typicalLines().slice(0, 3), true)),
      http.delete('*/api/trace/job/:id', () => new HttpResponse(null, { status: 204 })),
    )
    return { polls: () => requests.filter((r) => r === `GET /api/trace/job/${JOB_ID}`).length }
  }

  it('polls with a growing interval and fails with POLL_TIMEOUT when the job never ends', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    try {
      const { polls } = runningJob()
      const { trace } = startTrace({ pollIntervalMs: 500, pollMaxIntervalMs: 5000, timeoutMs: 60_000 })
      await trace.execute({ ...REQUEST, params: { input_type: 'lot_id', values: 'GA2310*' } })
      await vi.advanceTimersByTimeAsync(59_000)
      expect(trace.runStatus.value).toBe('running')
      // A fixed 500 ms interval would have polled over 100 times.
      expect(polls()).toBeGreaterThan(5)
      expect(polls()).toBeLessThan(40)
      await vi.advanceTimersByTimeAsync(2_000)
      expect(trace.runStatus.value).toBe('failed')
      expect(trace.stageErrors.value.events).toMatchObject({ code: 'POLL_TIMEOUT' })
      const after = requests.length
      await vi.advanceTimersByTimeAsync(30_000)
      expect(requests.length).toBe(after)
    } finally {
      vi.useRealTimers()
    }
  })

  it('does not poll while the tab is hidden', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')
    try {
      const { polls } = runningJob()
      const { trace } = startTrace({ pollIntervalMs: 500, pollMaxIntervalMs: 500 })
      await trace.execute({ ...REQUEST, params: { input_type: 'lot_id', values: 'GA2310*' } })
      await vi.advanceTimersByTimeAsync(2_000)
      expect(polls()).toBeGreaterThan(1)
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      window.dispatchEvent(new Event('visibilitychange'))
      await vi.advanceTimersByTimeAsync(600)
      const hidden = polls()
      await vi.advanceTimersByTimeAsync(10_000)
      expect(polls()).toBe(hidden)
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' })
      window.dispatchEvent(new Event('visibilitychange'))
      await vi.advanceTimersByTimeAsync(2_000)
      expect(polls()).toBeGreaterThan(hidden)
    } finally {
      delete (document as unknown as Record<string, unknown>).visibilityState
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')).toEqual(visibility)
      vi.useRealTimers()
    }
  })

  it('cancel aborts the stream, sends DELETE, and nothing fires afterwards', async () => {
    vi.useFakeTimers({ toFake: [...FAKE.toFake] })
    try {
      runningJob()
      const { trace } = startTrace({ pollIntervalMs: 500, pollMaxIntervalMs: 500, timeoutMs: 5_000 })
      await trace.execute({ ...REQUEST, params: { input_type: 'lot_id', values: 'GA2310*' } })
      await vi.advanceTimersByTimeAsync(1_200)
      expect(trace.store.get('history')?.length).toBe(2)
      await trace.cancel()
      expect(requests).toContain(`DELETE /api/trace/job/${JOB_ID}`)
      expect(trace.runStatus.value).toBe('cancelled')
      expect(trace.isRunning.value).toBe(false)

      const seen = {
        requests: requests.length,
        version: trace.version.value,
        errors: trace.stageErrors.value,
        progress: trace.progress.value,
        stage: trace.currentStage.value,
      }
      await vi.advanceTimersByTimeAsync(60_000)
      expect(requests.length).toBe(seen.requests)
      expect(trace.version.value).toBe(seen.version)
      expect(trace.stageErrors.value).toBe(seen.errors)
      expect(trace.progress.value).toBe(seen.progress)
      expect(trace.currentStage.value).toBe(seen.stage)
      expect(trace.runStatus.value).toBe('cancelled')
    } finally {
      vi.useRealTimers()
    }
  })
})
