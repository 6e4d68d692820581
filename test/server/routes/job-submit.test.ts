import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AggregationLine, StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobAccepted } from '../../../src/shared/responses.ts'
import { jobIdSchema } from '../../../src/shared/schemas.ts'
import { createApp } from '../../../src/server/app.ts'
import { createFileJobStore } from '../../../src/server/jobs/file-job-store.ts'
import { fixtureCids } from '../jobs/job-fixture.ts'
import { getStatus, readNdjson, startJobHarness, waitForStatus, type JobHarness } from '../jobs/job-harness.ts'

const post = (h: JobHarness, path: string, body: unknown): Promise<Response> =>
  Promise.resolve(
    h.app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )

const errorCode = async (res: Response): Promise<string> =>
  ((await res.json()) as { error: { code: string } }).error.code

describe('job submission', () => {
  let h: JobHarness
  beforeAll(async () => {
    h = await startJobHarness({ lots: 12, historyPerLot: 4, env: { TRACE_ASYNC_CID_THRESHOLD: '5' } })
  })
  afterAll(async () => h?.close())

  it('runs the whole trace from typed lot names as one job with the profile default domains', async () => {
    const res = await post(h, '/api/trace/jobs', {
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: 'GA2401-00001\nGA2401-0000*\nNOPE-1' },
    })
    expect(res.status).toBe(202)
    const accepted = (await res.json()) as JobAccepted
    expect(accepted.job_id).toMatch(/^trace-evt-[0-9a-f]{32}$/)
    const done = await waitForStatus(h.app, accepted.job_id, (s) => s.status === 'finished' || s.status === 'failed')
    expect(done.status).toBe('finished')
    expect(done.domains).toEqual(['history', 'materials', 'rejects', 'holds', 'jobs'])
    expect(done.cid_count).toBe(9)
    expect((done as { seed_summary?: { not_found: string[] } }).seed_summary?.not_found).toEqual(['NOPE-1'])
    // The status names the query it answers (as parsed: the tokens), so a job opened from a link can refill the form.
    expect((done as { request?: unknown }).request).toEqual({
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: ['GA2401-00001', 'GA2401-0000*', 'NOPE-1'] },
      domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
    })
    const lines = await readNdjson(await h.app.request(accepted.stream_url))
    expect(lines.at(-1)).toMatchObject({ type: 'complete', counts: { history: 36, materials: 18, holds: 0, jobs: 0 } })
  })

  it('runs a defect investigation job whose stream carries the aggregation line', async () => {
    const res = await post(h, '/api/trace/jobs', {
      profile: 'mid_section_defect',
      params: { mode: 'container', values: ['GA2401-00001', 'GA2401-00002'] },
    })
    expect(res.status).toBe(202)
    const { job_id, stream_url } = (await res.json()) as JobAccepted
    expect((await waitForStatus(h.app, job_id, (s) => s.status !== 'queued' && s.status !== 'started')).status).toBe(
      'finished',
    )
    const lines: StreamLine[] = await readNdjson(await h.app.request(stream_url))
    expect(lines[0]).toMatchObject({
      type: 'meta',
      profile: 'mid_section_defect',
      domains: ['upstream_history', 'materials'],
    })
    const types = lines.map((l) => l.type)
    expect(types.indexOf('aggregation')).toBe(types.length - 2)
    expect((lines.find((l) => l.type === 'aggregation') as AggregationLine).data).not.toBeNull()
  })

  it('ends a job whose input matched nothing as finished with no rows and the reason in its seed summary', async () => {
    const cases = [
      [
        { profile: 'query_tool', params: { input_type: 'lot_id', values: 'NOPE-1\nNOPE-2*' } },
        'no lot name matched NOPE-1, NOPE-2* (patterns included)',
      ],
      [
        {
          profile: 'mid_section_defect',
          params: { mode: 'date_range', station: '測試', start_date: '2020-01-01', end_date: '2020-01-31' },
        },
        /^no lot was at 測試 between 2020-01-01 and 2020-01-31; the data holds /,
      ],
    ] as const
    for (const [body, reason] of cases) {
      const { job_id } = (await (await post(h, '/api/trace/jobs', body)).json()) as JobAccepted
      const done = await waitForStatus(h.app, job_id, (s) => s.status !== 'queued' && s.status !== 'started')
      expect(done).toMatchObject({ status: 'finished', cid_count: 0, progress: { rows: 0 } })
      const summary = (done as { seed_summary?: { seed_count: number; no_seeds_reason?: string } }).seed_summary
      expect(summary?.seed_count).toBe(0)
      expect(summary?.no_seeds_reason).toMatch(reason)
    }
  })

  it('refuses a bad profile, bad params and unknown domains with 400 before queueing anything', async () => {
    const bad = [
      [{ profile: 'nope', params: { input_type: 'lot_id', values: 'x' } }, 'INVALID_PROFILE'],
      [{ profile: 'query_tool', params: { input_type: 'lot_id', values: '  ' } }, 'INVALID_PARAMS'],
      [{ profile: 'query_tool', params: { input_type: 'serial_number', values: 'x' } }, 'INVALID_PARAMS'],
      [
        { profile: 'query_tool', params: { input_type: 'lot_id', values: 'x' }, domains: ['history', 'bogus'] },
        'INVALID_PARAMS',
      ],
    ] as const
    for (const [body, code] of bad) {
      const res = await post(h, '/api/trace/jobs', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(await errorCode(res)).toBe(code)
    }
  })

  it('turns an events request above TRACE_ASYNC_CID_THRESHOLD into a job and answers 202', async () => {
    const small = await post(h, '/api/trace/events', {
      profile: 'query_tool',
      container_ids: fixtureCids(3),
      domains: ['history'],
    })
    expect(small.status).toBe(200)
    await small.text()

    const res = await post(h, '/api/trace/events', {
      profile: 'query_tool',
      container_ids: fixtureCids(8),
      domains: ['history'],
    })
    expect(res.status).toBe(202)
    const accepted = (await res.json()) as JobAccepted
    expect(jobIdSchema.safeParse(accepted.job_id).success).toBe(true)
    expect(accepted).toMatchObject({ stage: 'events', async: true, status_url: `/api/trace/job/${accepted.job_id}` })
    expect((await getStatus(h.app, accepted.job_id)).cid_count).toBe(8)
    const done = await waitForStatus(h.app, accepted.job_id, (s) => s.status === 'finished')
    expect(done.progress.rows).toBe(32)
  })

  it('stores only the parsed params, so 9000 levels of nested JSON under an unknown key are no 5xx', async () => {
    const deep = '{"a":'.repeat(9000) + '"x"' + '}'.repeat(9000)
    const body = `{"profile":"query_tool","params":{"input_type":"lot_id","values":"GA2401-00001","junk":${deep}}}`
    const res = await h.app.request('/api/trace/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    })
    expect(res.status).toBe(202)
    const { job_id } = (await res.json()) as JobAccepted
    expect(await createFileJobStore(h.config.TRACE_JOB_DIR).readInput(job_id)).toEqual({
      kind: 'trace',
      seed: { profile: 'query_tool', params: { input_type: 'lot_id', values: ['GA2401-00001'] } },
      direction: 'forward',
    })
    expect((await waitForStatus(h.app, job_id, (s) => s.status === 'finished' || s.status === 'failed')).status).toBe(
      'finished',
    )
  })

  it('stores the old request forms rewritten into the current ones', async () => {
    const res = await post(h, '/api/trace/jobs', {
      profile: 'mid_section_defect',
      params: { date_range: ['2024-01-01', '2024-01-31'], loss_reasons: 'A, B,', cache_key: 'trace:seed:x' },
    })
    expect(res.status).toBe(202)
    const { job_id } = (await res.json()) as JobAccepted
    expect(await createFileJobStore(h.config.TRACE_JOB_DIR).readInput(job_id)).toEqual({
      kind: 'trace',
      seed: {
        profile: 'mid_section_defect',
        params: {
          mode: 'date_range',
          station: '測試',
          start_date: '2024-01-01',
          end_date: '2024-01-31',
          direction: 'backward',
          loss_reasons: ['A', 'B'],
        },
      },
      direction: 'backward',
    })
  })

  it('answers 503 SERVICE_UNAVAILABLE when the server runs without a job system', async () => {
    const app = createApp({ config: h.config, source: h.source, staticRoot: h.dir })
    const res = await app.request('/api/trace/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: 'query_tool', params: { input_type: 'lot_id', values: 'x' } }),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBeTruthy()
  })
})
