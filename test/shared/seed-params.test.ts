import { describe, expect, it } from 'vitest'
import { traceDirection } from '../../src/shared/domains.ts'
import { MSD_MAX_RANGE_DAYS, parseSeedParams } from '../../src/shared/schemas.ts'

const issuePaths = (r: ReturnType<typeof parseSeedParams>): string[] =>
  r.success ? [] : r.error.issues.map((i) => i.path.join('.'))

describe('parseSeedParams', () => {
  it('splits pasted values into tokens and keeps only the known fields', () => {
    const r = parseSeedParams('query_tool', { input_type: 'lot_id', values: 'GA1-A01\nGA1-A02, GA1-A03', extra: 1 })
    expect(r).toEqual({
      success: true,
      data: { profile: 'query_tool', params: { input_type: 'lot_id', values: ['GA1-A01', 'GA1-A02', 'GA1-A03'] } },
    })
  })

  it('refuses an input type the profile does not take, naming input_type', () => {
    const r = parseSeedParams('query_tool_reverse', { input_type: 'lot_id', values: 'X' })
    expect(r.success).toBe(false)
    expect(issuePaths(r)).toEqual(['input_type'])
  })

  it('refuses values with no token in them', () => {
    expect(issuePaths(parseSeedParams('query_tool', { input_type: 'lot_id', values: ' ,\n ' }))).toEqual(['values'])
  })

  it('fills the MSD defaults: the test station, backward, and container mode’s lot_id', () => {
    const range = parseSeedParams('mid_section_defect', {
      mode: 'date_range',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
    })
    expect(range.success && range.data.params).toEqual({
      mode: 'date_range',
      station: '測試',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      direction: 'backward',
    })
    const list = parseSeedParams('mid_section_defect', { mode: 'container', values: 'GA1-A01' })
    expect(list.success && list.data.params).toMatchObject({ input_type: 'lot_id', values: ['GA1-A01'] })
  })

  it.each([
    ['an end before the start', '2026-02-01', '2026-01-31'],
    [`a range past ${MSD_MAX_RANGE_DAYS} days`, '2025-01-01', '2026-01-02'],
    ['a date that is not on the calendar', '2026-01-01', '2026-02-30'],
  ])('refuses %s on end_date', (_, start_date, end_date) => {
    const r = parseSeedParams('mid_section_defect', { mode: 'date_range', start_date, end_date })
    expect(issuePaths(r)).toEqual(['end_date'])
  })

  it('refuses params that are no object', () => {
    expect(parseSeedParams('query_tool', 'GA1-A01').success).toBe(false)
  })
})

describe('traceDirection', () => {
  it('is fixed by the query tools whatever their params say', () => {
    expect(traceDirection('query_tool', { direction: 'backward' })).toBe('forward')
    expect(traceDirection('query_tool_reverse', { direction: 'forward' })).toBe('backward')
  })

  it('reads an MSD direction from raw or parsed params, backward unless forward', () => {
    expect(traceDirection('mid_section_defect', { direction: 'forward' })).toBe('forward')
    expect(traceDirection('mid_section_defect', { direction: 'sideways' })).toBe('backward')
    expect(traceDirection('mid_section_defect', {})).toBe('backward')
    expect(traceDirection('mid_section_defect')).toBe('backward')
  })
})
