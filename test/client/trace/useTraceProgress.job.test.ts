// @vitest-environment happy-dom
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import type { JobRequest } from '../../../src/shared/schemas.ts'
import { line, ndjsonResponse, type BodyPart } from '../support/ndjson-body.ts'
import { JOB_ID, ROWS, accepted, jobStatus, typicalLines } from '../support/trace-fixtures.ts'
import { startTrace, useMswServer } from '../support/trace-harness.ts'

const { server, requests } = useMswServer()

const REQUEST: JobRequest = {
  profile: 'query_tool',
  params: { input_type: 'lot_id', values: 'GA23100020*' },
  domains: ['history'],
}

/** Submit → 202; status answers from `statuses` (last one repeats); the stream sends `parts`. */
function jobServer(
  statuses: ReturnType<typeof jobStatus>[],
  parts: BodyPart[],
  keepOpen = false,
): { bodies: unknown[] } {
  const bodies: unknown[] = []
  let polled = 0
  server.use(
    http.post('*/api/trace/jobs', async ({ request }) => {
      bodies.push(await request.json())
      return HttpResponse.json(accepted(), { status: 202 })
    }),
    http.get('*/api/trace/job/:id', () => HttpResponse.json(statuses[Math.min(polled++, statuses.length - 1)])),
    http.get('*/api/trace/job/:id/stream', () => ndjsonResponse(parts, keepOpen)),
    http.delete('*/api/trace/job/:id', () => new HttpResponse(null, { status: 204 })),
  )
  return { bodies }
}

describe('useTraceProgress on the job path', () => {
  it('polls and streams where the server said the job is, not at a URL of its own making', async () => {
    const elsewhere = `/api/v2/jobs/${JOB_ID}`
    server.use(
      http.post('*/api/trace/jobs', () =>
        HttpResponse.json({ ...accepted(), status_url: elsewhere, stream_url: `${elsewhere}/events` }, { status: 202 }),
      ),
      http.get('*/api/v2/jobs/:id', () => HttpResponse.json(jobStatus('finished', 'done'))),
      http.get('*/api/v2/jobs/:id/events', () => ndjsonResponse(typicalLines())),
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(requests).toContain(`GET ${elsewhere}/events`)
    expect(requests).toContain(`GET ${elsewhere}`)
    expect(requests.filter((r) => r.includes('/api/trace/job/'))).toEqual([])
  })

  it('submits what the engineer typed as one job and streams every row into the store', async () => {
    const { bodies } = jobServer([jobStatus('started', 'events'), jobStatus('finished', 'done')], typicalLines())
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))

    expect(bodies).toEqual([REQUEST])
    expect(trace.path.value).toBe('job')
    expect(trace.jobId.value).toBe(JOB_ID)
    expect(trace.completedStages.value).toEqual(['seed-resolve', 'lineage', 'events', 'streaming'])
    expect(trace.currentStage.value).toBeNull()
    expect(trace.isRunning.value).toBe(false)
    expect(trace.stageErrors.value).toEqual({ seed: null, lineage: null, events: null })
    const table = trace.store.get('history')!
    expect(table.length).toBe(3)
    expect(table.raw(0, DOMAIN_COLUMNS.history.indexOf('WORKCENTERNAME'))).toBe('切割')
    expect(table.raw(2, DOMAIN_COLUMNS.history.indexOf('TRACKINTIMESTAMP'))).toBe('2024-03-07T09:30:00')
    expect(trace.rowsReceived.value).toBe(3)
    expect(trace.version.value).toBeGreaterThan(0)
    expect(requests).toContain(`GET /api/trace/job/${JOB_ID}/stream`)
  })

  it('reads the final status once the stream completes before the next poll would', async () => {
    const summary = { seed_count: 2, not_found: ['NOPE-1'], expansion_info: [] }
    jobServer(
      [
        jobStatus('queued', 'queued', {
          progress: { stage: 'queued', pct: 0, cids_done: 0, cids_total: 0, rows: 0, chunks: 0 },
        }),
        jobStatus('finished', 'done', { seed_summary: summary }),
      ],
      typicalLines(),
    )
    const { trace } = startTrace({ pollIntervalMs: 60_000, pollMaxIntervalMs: 60_000 })
    await trace.execute(REQUEST)
    await vi.waitFor(() =>
      expect(trace.progress.value).toMatchObject({ status: 'finished', cids_total: 3, elapsed_seconds: 8 }),
    )
    expect(trace.seeds.value).toMatchObject(summary)
  })

  it('ends a job that found no seeds as "empty", like the staged path, with the reason of its seed summary', async () => {
    const summary = {
      seed_count: 0,
      not_found: [],
      expansion_info: [],
      no_seeds_reason: 'no lot was at 測試 between 2020-01-01 and 2020-01-31',
    }
    const empty = {
      cid_count: 0,
      seed_summary: summary,
      progress: { stage: 'done' as const, pct: 100, cids_done: 0, cids_total: 0, rows: 0, chunks: 0 },
    }
    jobServer(
      [jobStatus('finished', 'done', empty)],
      [
        line({ type: 'meta', job_id: JOB_ID, profile: 'query_tool', domains: ['history'] }),
        line({ type: 'complete', total_records: 0, counts: {} }),
      ],
    )
    const { trace } = startTrace({ pollIntervalMs: 60_000, pollMaxIntervalMs: 60_000 })
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('empty'))
    expect(trace.completedStages.value).toEqual(['seed-resolve'])
    expect(trace.seeds.value?.no_seeds_reason).toBe(summary.no_seeds_reason)
    expect(trace.stageErrors.value).toEqual({ seed: null, lineage: null, events: null })
  })

  it('reassembles a line split across reads, even inside a multi-byte character', async () => {
    const [meta, start, rec0, rec1, end, complete] = typicalLines()
    const bytes = new TextEncoder().encode(rec0)
    const cut = bytes.indexOf(0xe5) + 1 // inside the first byte sequence of 切
    jobServer(
      [jobStatus('started', 'events')],
      [meta, start + rec0.slice(0, 10), bytes.slice(10, cut), bytes.slice(cut), rec1, end, complete],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(trace.store.get('history')!.raw(0, DOMAIN_COLUMNS.history.indexOf('WORKCENTERNAME'))).toBe('切割')
    expect(trace.store.get('history')!.length).toBe(3)
  })

  it('ignores blank lines and CRLF line ends', async () => {
    const lines = typicalLines().map((l) => l.replace('\n', '\r\n'))
    jobServer(
      [jobStatus('started', 'events')],
      ['\n', lines[0], '\n  \n', ...lines.slice(1, 4), '\r\n\r\n', ...lines.slice(4)],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(trace.store.get('history')!.length).toBe(3)
    expect(trace.stageErrors.value.events).toBeNull()
  })

  it('shows a line that is not JSON as an error naming the line', async () => {
    const lines = typicalLines()
    jobServer([jobStatus('started', 'events')], [lines[0], lines[1], 'this is not json\n', ...lines.slice(2)], true)
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toMatchObject({ code: 'MALFORMED_LINE' })
    expect(trace.stageErrors.value.events!.message).toContain('line 3')
    expect(trace.stageErrors.value.events!.message).toContain('this is not json')
  })

  it('shows an object-looking line that does not parse as an error instead of dropping what follows', async () => {
    const lines = typicalLines()
    jobServer(
      [jobStatus('started', 'events')],
      [lines[0], '{"type":"records","domain":"history",}\n', ...lines.slice(1)],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toMatchObject({ code: 'MALFORMED_LINE' })
    expect(trace.stageErrors.value.events!.message).toContain('line 2')
  })

  it('shows a line of unknown type as malformed', async () => {
    const lines = typicalLines()
    jobServer([jobStatus('started', 'events')], [lines[0], line({ type: 'surprise' }), ...lines.slice(1)])
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events!.message).toContain('unknown line type "surprise"')
  })

  it('shows an error line with its code and message under the stage it names', async () => {
    const lines = typicalLines()
    jobServer(
      [jobStatus('started', 'events')],
      [...lines.slice(0, 3), line({ type: 'error', code: 'EVENTS_FAILED', message: 'ORA-01555 snapshot too old' })],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toEqual({ code: 'EVENTS_FAILED', message: 'ORA-01555 snapshot too old' })
    // Rows that arrived before the failure stay visible.
    expect(trace.store.get('history')!.length).toBe(2)
  })

  it('reports a complete line whose counts differ from the rows received', async () => {
    const lines = typicalLines()
    jobServer(
      [jobStatus('started', 'events')],
      [
        ...lines.slice(0, 3),
        line({ type: 'domain_end', domain: 'history', count: 2 }),
        line({ type: 'complete', total_records: 3, counts: { history: 3 } }),
      ],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toMatchObject({ code: 'COUNT_MISMATCH' })
    expect(trace.stageErrors.value.events!.message).toContain('history: 2 rows received, server counted 3')
    expect(trace.completedStages.value).not.toContain('streaming')
  })

  it('keeps the rows of the domains that worked and lists the failed ones from a warning line', async () => {
    const lines = typicalLines()
    const failed = [{ domain: 'jobs', code: 'EVENTS_FAILED', message: 'DW_MES_JOB unavailable' }]
    jobServer(
      [jobStatus('started', 'events')],
      [
        ...lines.slice(0, 5),
        line({ type: 'warning', code: 'EVENTS_PARTIAL_FAILURE', failed_domains: failed }),
        lines[5],
      ],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(trace.warnings.value).toEqual(failed)
    expect(trace.store.get('history')!.length).toBe(3)
  })

  it('exposes the aggregation line', async () => {
    const lines = typicalLines()
    const data = { upstream_machines: [{ EQUIPMENTNAME: 'DB-07', lots: 41 }] }
    jobServer([jobStatus('started', 'events')], [...lines.slice(0, 5), line({ type: 'aggregation', data }), lines[5]])
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(trace.aggregation.value).toEqual(data)
  })

  it('reads a legacy full_result line of row objects', async () => {
    const H = DOMAIN_COLUMNS.history
    const objects = ROWS.map((r) => Object.fromEntries(H.map((c, i) => [c, r[i]])))
    const data = { stage: 'events', results: { history: { data: objects, count: 3 } }, aggregation: null }
    jobServer([jobStatus('finished', 'done')], [line({ type: 'full_result', data })])
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    const table = trace.store.get('history')!
    expect(table.length).toBe(3)
    expect(table.raw(1, H.indexOf('WORKCENTERNAME'))).toBe('焊接_DB')
    expect(table.raw(1, H.indexOf('TRACKINQTY'))).toBe(1190)
  })

  it('ends with the failed job’s error under the stage the job was in', async () => {
    const failed = jobStatus('failed', 'lineage', {
      error: { code: 'JOB_FAILED', message: 'worker exited with code 137' },
    })
    jobServer([jobStatus('started', 'lineage'), failed], [typicalLines()[0]], true)
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.lineage).toEqual({ code: 'JOB_FAILED', message: 'worker exited with code 137' })
    expect(trace.completedStages.value).toEqual(['seed-resolve'])
    expect(trace.progress.value).toMatchObject({ status: 'failed' })
  })

  it('shows a job cancelled on the server as cancelled, not failed, keeping the rows it had sent', async () => {
    const cancelled = jobStatus('cancelled', 'events', {
      error: { code: 'JOB_CANCELLED', message: 'cancelled by a user' },
    })
    const lines = typicalLines()
    jobServer(
      [jobStatus('started', 'events'), cancelled],
      [...lines.slice(0, 3), line({ type: 'error', code: 'JOB_CANCELLED', message: 'the job was cancelled' })],
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('cancelled'))
    expect(trace.stageErrors.value).toEqual({ seed: null, lineage: null, events: null })
    expect(trace.store.get('history')!.length).toBe(2)
  })

  it('tells the query a job answers and when its data was read, from its status', async () => {
    const request = {
      profile: 'query_tool' as const,
      params: { input_type: 'lot_id', values: 'GA1' },
      domains: ['history'],
    }
    jobServer([jobStatus('finished', 'done', { request })], typicalLines())
    const { trace } = startTrace()
    trace.attach(JOB_ID)
    await vi.waitFor(() => expect(trace.jobRequest.value).toEqual(request))
    expect(trace.readAt.value).toBe('2024-03-05T07:00:01Z')
  })

  it('shows an unknown or expired job as JOB_NOT_FOUND', async () => {
    const notFound = {
      success: false,
      error: { code: 'JOB_NOT_FOUND', message: 'no such job' },
      meta: { timestamp: '2024-03-05T07:00:00Z' },
    }
    server.use(
      http.get('*/api/trace/job/:id', () => HttpResponse.json(notFound, { status: 404 })),
      http.get('*/api/trace/job/:id/stream', () => HttpResponse.json(notFound, { status: 404 })),
    )
    const { trace } = startTrace()
    trace.attach(JOB_ID)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toEqual({ code: 'JOB_NOT_FOUND', message: 'no such job' })
  })

  it('resumes a dropped connection after the last batch received', async () => {
    const [meta, start, rec0, rec1, end, complete] = typicalLines()
    let connection = 0
    server.use(
      http.post('*/api/trace/jobs', () => HttpResponse.json(accepted(), { status: 202 })),
      http.get('*/api/trace/job/:id', () => HttpResponse.json(jobStatus('started', 'events'))),
      http.get('*/api/trace/job/:id/stream', () =>
        // The second connection repeats batch 0 as a server might after resuming: it must not be stored twice.
        connection++ === 0
          ? ndjsonResponse([meta, start, rec0, { drop: 'socket hang up', afterMs: 50 }])
          : ndjsonResponse([meta, start, rec0, rec1, end, complete]),
      ),
    )
    const { trace } = startTrace()
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
    expect(requests.filter((r) => r.includes('/stream'))).toEqual([
      `GET /api/trace/job/${JOB_ID}/stream`,
      `GET /api/trace/job/${JOB_ID}/stream?from=history%3A0`,
    ])
    expect(trace.store.get('history')!.length).toBe(3)
    expect(trace.resumes.value).toBe(1)
  })

  it('gives up with STREAM_DROPPED when reconnects keep failing', async () => {
    server.use(
      http.post('*/api/trace/jobs', () => HttpResponse.json(accepted(), { status: 202 })),
      http.get('*/api/trace/job/:id', () => HttpResponse.json(jobStatus('started', 'events'))),
      http.get('*/api/trace/job/:id/stream', () => HttpResponse.error()),
    )
    const { trace } = startTrace({ maxResumes: 2, resumeDelayMs: 1, resumeWindowMs: 0 })
    await trace.execute(REQUEST)
    await vi.waitFor(() => expect(trace.runStatus.value).toBe('failed'))
    expect(trace.stageErrors.value.events).toMatchObject({ code: 'STREAM_DROPPED' })
    expect(requests.filter((r) => r.includes('/stream'))).toHaveLength(3)
  })

  it('refuses an invalid request before sending anything', async () => {
    const { trace } = startTrace()
    await trace.execute({
      profile: 'query_tool',
      params: { input_type: 'serial_number', values: ' ;; ' },
      domains: ['history'],
    })
    expect(trace.runStatus.value).toBe('failed')
    expect(trace.stageErrors.value.seed).toMatchObject({ code: 'INVALID_PARAMS' })
    expect(requests).toEqual([])
  })
})
