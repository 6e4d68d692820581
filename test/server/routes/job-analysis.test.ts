import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  AnalysisLotsPage,
  AttributionResult,
  ForwardAnalysisResult,
  SuspectDetail,
} from '../../../src/shared/defect-analysis.ts'
import type { MsdAggregation } from '../../../src/shared/msd-aggregation.ts'
import {
  readNdjson,
  startJobHarness,
  submitTrace,
  waitForStatus,
  wholeTraceBody,
  type JobHarness,
} from '../jobs/job-harness.ts'

const LOTS = 60

describe('defect analysis of a job', () => {
  let h: JobHarness
  let msdJob: string
  beforeAll(async () => {
    h = await startJobHarness({ lots: LOTS, historyPerLot: 7 })
    const body = {
      profile: 'mid_section_defect',
      params: { mode: 'date_range', station: '測試', start_date: '2024-01-01', end_date: '2024-01-31' },
      domains: ['upstream_history', 'materials'],
    }
    msdJob = (await submitTrace(h.app, body)).job_id
    await waitForStatus(h.app, msdJob, (s) => s.status === 'finished' || s.status === 'failed')
  })
  afterAll(async () => h?.close())

  it('streams the unfiltered analysis in the aggregation line, and answers it again from the stored state', async () => {
    const lines = await readNdjson(await h.app.request(`/api/trace/job/${msdJob}/stream`))
    const aggregation = lines.find((l) => l.type === 'aggregation')
    const streamed = (aggregation as { data: MsdAggregation }).data.analysis as AttributionResult
    expect(streamed.kpi.lot_count).toBe(LOTS)
    expect(streamed.kpi.total_input).toBe(LOTS * 1000)
    expect(streamed.suspects.machine.length).toBeGreaterThan(0)
    expect(streamed.suspects.machine.every((s) => s.key[0] !== '測試')).toBe(true)

    const res = await h.app.request(`/api/trace/job/${msdJob}/analysis`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect((await res.json()) as AttributionResult).toEqual(streamed)
  })

  it('applies a loss-reason filter to the numerator only', async () => {
    const all = (await (await h.app.request(`/api/trace/job/${msdJob}/analysis`)).json()) as AttributionResult
    const none = (await (
      await h.app.request(`/api/trace/job/${msdJob}/analysis?loss_reasons=NO-SUCH-REASON`)
    ).json()) as AttributionResult
    expect(all.kpi.defect_qty).toBeGreaterThan(0)
    expect(none.kpi.defect_qty).toBe(0)
    expect(none.kpi.total_input).toBe(all.kpi.total_input)
    expect(none.available_loss_reasons).toEqual(all.available_loss_reasons)
  })

  it('answers one suspect with its trend and the lots behind it', async () => {
    const all = (await (await h.app.request(`/api/trace/job/${msdJob}/analysis`)).json()) as AttributionResult
    const top = all.suspects.machine[0]
    const key = top.key.map((p) => p ?? '').join('|')
    const res = await h.app.request(
      `/api/trace/job/${msdJob}/analysis/suspect?dimension=machine&key=${encodeURIComponent(key)}`,
    )
    expect(res.status).toBe(200)
    const detail = (await res.json()) as SuspectDetail
    expect(detail.suspect).toEqual(top)
    expect(detail.lot_count).toBe(top.detection_lot_count)
    expect(detail.daily_trend.reduce((n, d) => n + d.input_qty, 0)).toBe(top.input_qty)
    // The machine's maintenance jobs are looked up over the job's detection window (end exclusive).
    expect(detail.maintenance).toMatchObject({ window: { start: '2024-01-01', end: '2024-02-01' }, truncated: false })
    const missing = await h.app.request(`/api/trace/job/${msdJob}/analysis/suspect?dimension=machine&key=nope`)
    expect(missing.status).toBe(404)
  })

  it('pages the per-lot detail and exports it whole as CSV', async () => {
    const page = (await (
      await h.app.request(`/api/trace/job/${msdJob}/analysis/lots?offset=50&limit=20`)
    ).json()) as AnalysisLotsPage
    expect(page.total).toBe(LOTS)
    expect(page.data).toHaveLength(10)
    const csv = await (await h.app.request(`/api/trace/job/${msdJob}/analysis/lots.csv`)).text()
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toContain('CONTAINERID,CONTAINERNAME,INPUT_QTY,DEFECT_QTY')
    expect(lines).toHaveLength(LOTS + 1)
  })

  it('refuses a bad page with 400 and a job without an analysis with 404 ANALYSIS_NOT_AVAILABLE', async () => {
    const bad = await h.app.request(`/api/trace/job/${msdJob}/analysis/lots?limit=0x10`)
    expect(bad.status).toBe(400)
    const other = (await submitTrace(h.app, wholeTraceBody(['history']))).job_id
    await waitForStatus(h.app, other, (s) => s.status === 'finished')
    const res = await h.app.request(`/api/trace/job/${other}/analysis`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ANALYSIS_NOT_AVAILABLE')
  })

  it('streams a forward investigation’s analysis: the seeds’ downstream stations, rejects and crosstab', async () => {
    // The fixture lots pass plating (電鍍), then marking (移印) and test (測試), where their rejects are.
    const body = {
      profile: 'mid_section_defect',
      params: {
        mode: 'date_range',
        station: '電鍍',
        start_date: '2024-01-01',
        end_date: '2024-01-31',
        direction: 'forward',
      },
      domains: ['upstream_history', 'downstream_rejects'],
    }
    const job = (await submitTrace(h.app, body)).job_id
    await waitForStatus(h.app, job, (s) => s.status === 'finished' || s.status === 'failed')
    const lines = await readNdjson(await h.app.request(`/api/trace/job/${job}/stream`))
    const data = (lines.find((l) => l.type === 'aggregation') as { data: MsdAggregation }).data
    const analysis = data.analysis as ForwardAnalysisResult
    expect(analysis.direction).toBe('forward')
    expect(analysis.kpi).toMatchObject({
      detection_lots: LOTS,
      detection_defect_qty: 0,
      lots_tracked: LOTS,
      stations_reached: 2,
    })
    // Every reject is at the test station, after plating: the old summary's total is the forward one.
    expect(analysis.kpi.downstream_reject_qty).toBeGreaterThan(0)
    expect(analysis.kpi.downstream_reject_qty).toBe(data.kpi.defect_qty)
    expect(analysis.stations.map((s) => [s.workcenter_group, s.lots_reached, s.input_qty])).toEqual([
      ['移印', LOTS, LOTS * 1000],
      ['測試', LOTS, LOTS * 1000],
    ])
    expect(analysis.stations[1].reject_qty).toBe(analysis.kpi.downstream_reject_qty)
    expect(analysis.crosstab).toEqual({
      detection_reasons: ['(no reject)'],
      workcenter_groups: ['移印', '測試'],
      cells: [[0, analysis.kpi.downstream_reject_qty]],
    })
    // No filter route for forward: the filters are a backward feature.
    const res = await h.app.request(`/api/trace/job/${job}/analysis`)
    expect(res.status).toBe(404)
  })
})

describe('defect analysis over its lot limit', () => {
  let h: JobHarness
  afterAll(async () => h?.close())

  it('streams every row but leaves the analysis out, and says why, when the range has more lots than the limit', async () => {
    h = await startJobHarness({ lots: 30, historyPerLot: 7, env: { TRACE_DEFECT_ANALYSIS_MAX_LOTS: '10' } })
    const body = {
      profile: 'mid_section_defect',
      params: { mode: 'date_range', station: '測試', start_date: '2024-01-01', end_date: '2024-01-31' },
      domains: ['upstream_history', 'materials'],
    }
    const jobId = (await submitTrace(h.app, body)).job_id
    await waitForStatus(h.app, jobId, (s) => s.status === 'finished')
    const lines = await readNdjson(await h.app.request(`/api/trace/job/${jobId}/stream?shape=compact`))
    const data = (lines.find((l) => l.type === 'aggregation') as { data: MsdAggregation }).data
    expect(data.analysis).toBeUndefined()
    expect(data.analysis_skipped).toContain(
      'at most 10 detection lots (TRACE_DEFECT_ANALYSIS_MAX_LOTS); this range has 30',
    )
    expect(lines.at(-1)).toMatchObject({ type: 'complete' })
    expect((await h.app.request(`/api/trace/job/${jobId}/analysis`)).status).toBe(404)
  })
})
