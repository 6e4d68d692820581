import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import { expectError, openHarness, readJson, type Harness } from './route-harness.ts'
import { ASSY, LOT_A, LOT_B, ROWS, WAFER } from './trace-fixture.ts'

const PATH = '/api/trace/seed-resolve'
let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  h = openHarness(ROWS)
})
afterAll(() => h.close())

describe('POST /api/trace/seed-resolve', () => {
  it('resolves pasted wafer lots into seeds and reports the tokens that matched nothing', async () => {
    const res = await h.post(PATH, { profile: 'query_tool', params: { input_type: 'wafer_lot', values: 'W1\nNOPE' } })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      stage: 'seed-resolve',
      seeds: [
        { container_id: ASSY, container_name: 'ASSY-1', lot_id: 'ASSY-1' },
        { container_id: LOT_A, container_name: 'GA1-A01', lot_id: 'GA1-A01' },
        { container_id: LOT_B, container_name: 'GA1-A02', lot_id: 'GA1-A02' },
        { container_id: WAFER, container_name: 'W1', lot_id: 'W1' },
      ],
      seed_count: 4,
      not_found: ['NOPE'],
      expansion_info: [],
      cache_key: expect.stringMatching(/^trace:seed:query_tool:[0-9a-f]{32}$/),
    })
  })

  it('accepts the old resolve_type and answers a cache_key that depends on the query only', async () => {
    const keyOf = async (params: unknown): Promise<string> => {
      const res = await h.post(PATH, { profile: 'query_tool', params })
      expect(res.status).toBe(200)
      return ((await readJson(res)) as { cache_key: string }).cache_key
    }
    const old = await keyOf({ resolve_type: 'wafer_lot', values: 'W1', cache_key: null })
    expect(await keyOf({ input_type: 'wafer_lot', values: ['W1'] })).toBe(old)
    expect(await keyOf({ input_type: 'wafer_lot', values: ['W2'] })).not.toBe(old)
  })

  it('reports what a wildcard token expanded to', async () => {
    const res = await h.post(PATH, { profile: 'query_tool', params: { input_type: 'lot_id', values: ['GA1-*'] } })
    const body = (await readJson(res)) as { seed_count: number; expansion_info: unknown[] }
    expect(body.seed_count).toBe(2)
    expect(body.expansion_info).toEqual([
      { pattern: 'GA1-*', matched: 2, names: ['GA1-A01', 'GA1-A02'], truncated: false },
    ])
  })

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"W1"'],
    ['null', 'null'],
    ['malformed JSON', '{"profile": '],
    ['an empty body', ''],
  ])('refuses a body that is %s with 400 INVALID_PARAMS', async (_what, raw) => {
    const error = await expectError(await h.post(PATH, raw), 400, 'INVALID_PARAMS')
    expect(error.message).toMatch(/JSON object/)
  })

  it('refuses an unknown profile with 400 INVALID_PROFILE', async () => {
    const error = await expectError(
      await h.post(PATH, { profile: 'fab', params: { input_type: 'lot_id', values: 'x' } }),
      400,
      'INVALID_PROFILE',
    )
    expect(error.message).toContain('query_tool')
  })

  it('refuses missing and blank values with 400 INVALID_PARAMS naming params.values', async () => {
    for (const params of [
      { input_type: 'lot_id' },
      { input_type: 'lot_id', values: ' \n ; , ' },
      { input_type: 'lot_id', values: [] },
    ]) {
      const error = await expectError(await h.post(PATH, { profile: 'query_tool', params }), 400, 'INVALID_PARAMS')
      expect(error.field).toBe('params.values')
      expect(error.message).toMatch(/^params\.values: /)
    }
  })

  it('refuses an input type the profile does not take', async () => {
    const error = await expectError(
      await h.post(PATH, { profile: 'query_tool', params: { input_type: 'serial_number', values: 'SN1' } }),
      400,
      'INVALID_PARAMS',
    )
    expect(error.message).toContain('params.input_type')
  })

  it.each([
    ['a date that does not exist', { start_date: '2026-02-30', end_date: '2026-03-01' }, 'params.start_date'],
    ['a malformed date', { start_date: '2026/01/01', end_date: '2026-03-01' }, 'params.start_date'],
    ['an end before the start', { start_date: '2026-03-01', end_date: '2026-01-01' }, 'params.end_date'],
    ['a range over 365 days', { start_date: '2025-01-01', end_date: '2026-03-01' }, 'params.end_date'],
  ])('refuses an MSD date range with %s', async (_what, dates, field) => {
    const error = await expectError(
      await h.post(PATH, { profile: 'mid_section_defect', params: { mode: 'date_range', station: '測試', ...dates } }),
      400,
      'INVALID_PARAMS',
    )
    expect(error.field).toBe(field)
  })

  it('resolves an MSD date range at the detection station', async () => {
    const res = await h.post(PATH, {
      profile: 'mid_section_defect',
      params: { mode: 'date_range', station: '測試', start_date: '2026-01-01', end_date: '2026-01-31' },
    })
    expect(res.status).toBe(200)
    const body = (await readJson(res)) as { seeds: { container_id: string }[] }
    expect(body.seeds.map((s) => s.container_id).sort()).toEqual([LOT_B, ASSY].sort())
  })
})
