import { describe, expect, it } from 'vitest'
import { queryFacts } from '../../../../src/client/components/run-query/query-facts.ts'

describe('queryFacts', () => {
  it('names the profile, what was typed and the domains of a forward trace', () => {
    const facts = queryFacts({
      profile: 'query_tool',
      params: { input_type: 'wafer_lot', values: 'W1\nW2\nW3\nW4' },
      domains: ['history', 'rejects'],
    })
    expect(facts.map((f) => f.label)).toEqual(['Profile', 'Wafer lot', 'Domains'])
    expect(facts[0].value).toBe('Forward trace')
    expect(facts[1].value).toBe('W1, W2, W3 (+1 more)')
  })

  it('names the station, the dates and the loss reasons of a defect investigation', () => {
    const facts = queryFacts({
      profile: 'mid_section_defect',
      params: {
        mode: 'date_range',
        station: '測試',
        start_date: '2026-03-01',
        end_date: '2026-03-31',
        direction: 'forward',
        loss_reasons: ['VF fail'],
      },
    })
    expect(Object.fromEntries(facts.map((f) => [f.label, f.value]))).toEqual({
      Profile: 'Defect investigation, forward',
      Station: '測試',
      Dates: '2026-03-01 → 2026-03-31',
      'Loss reasons': 'VF fail',
    })
  })
})
