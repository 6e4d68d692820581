import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeedResolveResponse, StationDataSpan } from '../../../src/shared/responses.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { expectError, openHarness, readJson, type Harness } from './route-harness.ts'
import { ROWS } from './trace-fixture.ts'

const PATH = '/api/trace/seed-resolve'
let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  h = openHarness(ROWS)
})
afterAll(() => h.close())

const resolve = async (profile: string, params: Record<string, unknown>): Promise<SeedResolveResponse> => {
  const res = await h.post(PATH, { profile, params })
  expect(res.status).toBe(200)
  return (await readJson(res)) as SeedResolveResponse
}

describe('zero seeds read one way: no seeds, and one sentence saying why', () => {
  it('names the typed values that matched nothing', async () => {
    const body = await resolve('query_tool', { input_type: 'lot_id', values: 'GA-NOPE\nGA-GONE' })
    expect(body).toMatchObject({ seed_count: 0, seeds: [], not_found: ['GA-NOPE', 'GA-GONE'] })
    expect(body.no_seeds_reason).toBe('no lot name matched GA-NOPE, GA-GONE')
  })

  it('says a wildcard matched nothing the same way', async () => {
    const body = await resolve('query_tool', { input_type: 'work_order', values: ['GA99*'] })
    expect(body.seed_count).toBe(0)
    expect(body.no_seeds_reason).toBe('no GA/GC work order matched GA99* (patterns included)')
  })

  it('says no lot was at the station in the range, and which days the data holds', async () => {
    const body = await resolve('mid_section_defect', {
      mode: 'date_range',
      station: '測試',
      start_date: '2025-01-01',
      end_date: '2025-01-31',
    })
    expect(body.seed_count).toBe(0)
    expect(body.no_seeds_reason).toBe(
      'no lot was at 測試 between 2025-01-01 and 2025-01-31; the data holds 2026-01-03 … 2026-01-04',
    )
  })

  it('says when the loss-reason filter left every lot out', async () => {
    const params = {
      mode: 'date_range',
      station: '測試',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      loss_reasons: ['SHORT'],
    }
    const body = await resolve('mid_section_defect', params)
    expect(body.no_seeds_reason).toBe(
      '2 lots were at 測試 between 2026-01-01 and 2026-01-31, none with a reject for SHORT',
    )
  })

  it('carries no reason when seeds were found', async () => {
    const body = await resolve('query_tool', { input_type: 'lot_id', values: 'GA1-A01' })
    expect(body.seed_count).toBe(1)
    expect(body).not.toHaveProperty('no_seeds_reason')
  })
})

describe('GET /api/trace/data-span', () => {
  it('gives the first and last day with a track-in at a station', async () => {
    const res = await h.app.request(`/api/trace/data-span?station=${encodeURIComponent('測試')}`)
    expect(res.status).toBe(200)
    expect((await res.json()) as StationDataSpan).toEqual({
      station: '測試',
      first_day: '2026-01-03',
      last_day: '2026-01-04',
    })
  })

  it('answers null days for a station without data and 400 for an unknown one', async () => {
    const res = await h.app.request(`/api/trace/data-span?station=${encodeURIComponent('成型')}`)
    expect((await res.json()) as StationDataSpan).toEqual({ station: '成型', first_day: null, last_day: null })
    await expectError(await h.app.request('/api/trace/data-span?station=NOPE'), 400, 'INVALID_PARAMS')
  })
})
