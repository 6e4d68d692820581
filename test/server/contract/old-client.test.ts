/**
 * The compatible contract: the API answers the old dashboard's pages as the old system did. Each trace runs
 * through old-trace-client.ts, which calls the routes with the old request forms and no row-shape parameter and
 * reads rows as objects keyed by warehouse column name; this app's own compact form is checked beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMPACT_ACCEPT_NDJSON } from '../../../src/shared/row-shape.ts'
import { DOMAIN_COLUMNS, type Domain } from '../../../src/shared/domains.ts'
import type { RecordsLine } from '../../../src/shared/ndjson-lines.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { FIXTURE_WORK_ORDER, fixtureCids } from '../jobs/job-fixture.ts'
import { readNdjson, startJobHarness, type JobHarness } from '../jobs/job-harness.ts'
import { openHarness, type Harness } from '../routes/route-harness.ts'
import { ASSY, LOT_A, LOT_B, ROWS, WAFER } from '../routes/trace-fixture.ts'
import { runOldTrace } from './old-trace-client.ts'

const zip = (domain: Domain, row: readonly unknown[]): Record<string, unknown> =>
  Object.fromEntries(DOMAIN_COLUMNS[domain].map((c, i) => [c, row[i]]))

describe('the staged API, called as the old pages call it', () => {
  let h: Harness
  const fetch = (path: string, init?: RequestInit): Promise<Response> => Promise.resolve(h.app.request(path, init))
  beforeAll(() => {
    setLogLevel('silent')
    h = openHarness(ROWS)
  })
  afterAll(() => h.close())

  it('runs the query tool from resolve_type to object rows keyed by warehouse column names', async () => {
    const run = await runOldTrace(fetch, 'query_tool', { resolve_type: 'wafer_lot', values: ['W1', 'NOPE'] })
    expect(run.seed).toMatchObject({ stage: 'seed-resolve', seed_count: 4, not_found: ['NOPE'] })
    expect(run.seed.cache_key).toMatch(/^trace:seed:query_tool:/)
    expect(run.lineage?.children_map).toMatchObject({
      [WAFER]: expect.arrayContaining([LOT_A]),
      [LOT_A]: [LOT_B],
      [LOT_B]: [ASSY],
    })
    const history = run.events?.results.history
    expect(history?.count).toBe(5)
    expect(history?.data[0]).toMatchObject({
      CONTAINERID: LOT_A,
      CONTAINERNAME: 'GA1-A01',
      WORKCENTERNAME: '切割',
      EQUIPMENTNAME: 'DS-01',
    })
    expect(run.events?.results.holds?.data[0]).toMatchObject({ CONTAINERID: LOT_A, HOLD_STATUS: 'RELEASED' })
    expect(run.events?.results.jobs?.data.map((j) => j.CONTAINERID).sort()).toEqual([LOT_A, LOT_B].sort())
  })

  it('runs a defect investigation from the old date-range params to the upstream rows of the whole family', async () => {
    const params = {
      station: '測試',
      direction: 'backward',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      loss_reasons: 'OPEN',
    }
    const run = await runOldTrace(fetch, 'mid_section_defect', params)
    expect(run.seed).toMatchObject({ seed_count: 1, not_found: [] })
    expect(run.lineage).toMatchObject({ ancestors: { [LOT_B]: expect.arrayContaining([LOT_A, WAFER]) } })
    expect(run.lineage?.seed_roots).toHaveProperty(LOT_B)
    // The old page sends only its seeds as container_ids: the ancestors' rows come from the server's lineage.
    const upstream = run.events?.results.upstream_history?.data ?? []
    expect(new Set(upstream.map((r) => r.CONTAINERID))).toEqual(new Set([LOT_A, LOT_B]))
    expect(run.events?.results.materials?.data).toEqual([
      expect.objectContaining({ CONTAINERID: LOT_A, MATERIALLOTNAME: 'EMC-1' }),
    ])
    expect(run.events?.aggregation).toMatchObject({
      kpi: { lot_count: 2 },
      charts: { by_machine: expect.any(Array), by_material: [{ name: 'EMC · EMC-1', lot_count: 1 }] },
      daily_trend: [],
      available_loss_reasons: [],
      detail_total_count: 2,
    })
  })

  it('runs the forward defect investigation with an empty loss_reasons string and the old date_range', async () => {
    const params = { date_range: ['2026-01-01', '2026-01-31'], station: '測試', direction: 'forward', loss_reasons: '' }
    const run = await runOldTrace(fetch, 'mid_section_defect', params)
    expect(run.seed.seed_count).toBe(2)
    expect(run.lineage?.children_map).toBeDefined()
    expect(run.events?.results.downstream_rejects?.data[0]).toMatchObject({
      CONTAINERID: LOT_B,
      LOSSREASONNAME: 'OPEN',
    })
    expect(run.events?.aggregation).toMatchObject({ available_loss_reasons: ['OPEN'], kpi: { defect_qty: 7 } })
  })
})

describe('the job stream, read as the old pages read it', () => {
  const LOTS = 30
  let h: JobHarness
  const fetch = (path: string, init?: RequestInit): Promise<Response> => Promise.resolve(h.app.request(path, init))
  beforeAll(async () => {
    h = await startJobHarness({ lots: LOTS, historyPerLot: 4, env: { TRACE_ASYNC_CID_THRESHOLD: '5' } })
  })
  afterAll(async () => h?.close())

  it('follows the 202, polls status / elapsed_seconds / progress and reads object rows from stream_url', async () => {
    const run = await runOldTrace(fetch, 'query_tool', { resolve_type: 'work_order', values: FIXTURE_WORK_ORDER })
    expect(run.job_id).toMatch(/^trace-evt-/)
    expect(run.polls.at(-1)).toMatchObject({ status: 'finished', progress: expect.objectContaining({ stage: 'done' }) })
    expect(run.polls.every((p) => Number.isFinite(p.elapsed_seconds))).toBe(true)
    const history = run.events?.results.history
    expect(history?.count).toBe(LOTS * 4)
    expect(new Set(history?.data.map((r) => r.CONTAINERID))).toEqual(new Set(fixtureCids(LOTS)))
    expect(history?.data[0]).toMatchObject({
      CONTAINERNAME: expect.stringMatching(/^GA2401-/),
      WORKCENTERNAME: expect.any(String),
    })
    expect(run.events?.results.rejects?.data[0]).toMatchObject({ LOSSREASONNAME: 'SHORT', EQUIPMENTNAME: 'Tester 1' })

    // This app asks for the compact form of the same job and gets the same values as arrays.
    const jobId = run.job_id as string
    const compact = await readNdjson(
      await h.app.request(`/api/trace/job/${jobId}/stream`, { headers: { accept: COMPACT_ACCEPT_NDJSON } }),
    )
    const rows = compact
      .filter((l): l is RecordsLine => l.type === 'records' && l.domain === 'history')
      .flatMap((l) => l.rows ?? [])
    expect(rows.map((r) => zip('history', r))).toEqual(history?.data)

    const page = (await (
      await h.app.request(`/api/trace/job/${jobId}/result?domain=history&offset=3&limit=2`)
    ).json()) as {
      data: Record<string, unknown>[]
    }
    expect(page.data).toEqual(history?.data.slice(3, 5))
  })
})
