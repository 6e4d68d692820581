import { http, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import { linksOfJobId } from '../../../src/client/api/job-urls.ts'
import { streamJob } from '../../../src/client/stream/job-stream-session.ts'
import { RowStore } from '../../../src/client/rows/row-store.ts'
import { StreamIngest, type IngestOutcome } from '../../../src/client/rows/stream-ingest.ts'
import { ApiRequestError } from '../../../src/client/api/trace-errors.ts'
import { line, ndjsonResponse } from '../support/ndjson-body.ts'
import { useMswServer } from '../support/trace-harness.ts'

const { server, requests } = useMswServer()
const JOB = 'trace-evt-00000000000000000000000000000001'
const meta = { type: 'meta', job_id: JOB, profile: 'query_tool', domains: ['history'] }
const start = { type: 'domain_start', domain: 'history', columns: ['CONTAINERNAME', 'QTY'] }
const records = (batch: number) => ({
  type: 'records',
  domain: 'history',
  batch,
  count: 1,
  rows: [[`L${batch}`, batch]],
})
const end = { type: 'domain_end', domain: 'history', count: 3 }
const complete = { type: 'complete', total_records: 3, counts: { history: 3 } }

/** A server that streams two batches, then is down for `downFor` connections (restarting), then serves the rest. */
function restartingServer(downFor: number): void {
  let connection = 0
  server.use(
    http.get('*/api/trace/job/:id/stream', ({ request }) => {
      const n = connection++
      // The web process goes down after two batches: the connection drops.
      if (n === 0)
        return ndjsonResponse([
          ...[meta, start, records(0), records(1)].map(line),
          { drop: 'socket hang up', afterMs: 50 },
        ])
      if (n <= downFor) return HttpResponse.error()
      expect(new URL(request.url).searchParams.get('from')).toBe('history:1')
      return ndjsonResponse([meta, records(2), end, complete].map(line))
    }),
  )
}

async function read(options: {
  maxResumes: number
  resumeWindowMs: number
}): Promise<{ store: RowStore; outcomes: IngestOutcome[] }> {
  const store = new RowStore()
  const ingest = new StreamIngest(store)
  const outcomes: IngestOutcome[] = []
  await streamJob({
    streamUrl: linksOfJobId(JOB).streamUrl,
    ingest,
    signal: new AbortController().signal,
    api: { baseUrl: 'http://localhost/' },
    resumeDelayMs: 1,
    ...options,
    onOutcomes: (o) => void outcomes.push(...o),
  })
  return { store, outcomes }
}

describe('job stream session across a server restart', () => {
  it('keeps resuming while the server restarts, past maxResumes refused connections, from the last batch it holds', async () => {
    restartingServer(8)
    const { store, outcomes } = await read({ maxResumes: 2, resumeWindowMs: 10_000 })
    expect(store.get('history')?.length).toBe(3)
    expect(outcomes.filter((o) => o.kind === 'error')).toEqual([])
    expect(outcomes.at(-1)).toEqual({ kind: 'complete', mismatches: [] })
    const streams = requests.filter((r) => r.includes('/stream'))
    expect(streams[0]).toBe(`GET /api/trace/job/${JOB}/stream`)
    expect(streams.slice(1).every((r) => r.endsWith('?from=history%3A1'))).toBe(true)
  })

  it('gives up with STREAM_DROPPED once no line arrived for resumeWindowMs', async () => {
    server.use(http.get('*/api/trace/job/:id/stream', () => HttpResponse.error()))
    const err = await read({ maxResumes: 2, resumeWindowMs: 50 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect(err).toMatchObject({ code: 'STREAM_DROPPED' })
  })
})
