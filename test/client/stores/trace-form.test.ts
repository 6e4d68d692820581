import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { recentMonthOf } from '../../../src/client/trace/form-request.ts'
import { useTraceFormStore } from '../../../src/client/stores/trace-form.ts'

const SPAN = { station: '測試', first_day: '2026-01-01', last_day: '2026-03-31' }

describe('the MSD date defaults', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('are the most recent month of the data the station holds, not the last 31 days', () => {
    expect(recentMonthOf(SPAN)).toEqual({ startDate: '2026-03-01', endDate: '2026-03-31' })
    expect(recentMonthOf({ first_day: '2026-03-20', last_day: '2026-03-31' })).toEqual({
      startDate: '2026-03-20',
      endDate: '2026-03-31',
    })
    expect(recentMonthOf({ first_day: null, last_day: null })).toBeNull()
  })

  it('move untouched dates to the span and leave dates the engineer chose alone', () => {
    const form = useTraceFormStore()
    form.applyDataSpan(SPAN)
    expect([form.state.startDate, form.state.endDate]).toEqual(['2026-03-01', '2026-03-31'])
    form.applyDataSpan({ ...SPAN, first_day: '2025-06-01', last_day: '2025-12-31' })
    expect([form.state.startDate, form.state.endDate]).toEqual(['2025-12-01', '2025-12-31'])
    form.state.startDate = '2025-11-15'
    form.applyDataSpan(SPAN)
    expect([form.state.startDate, form.state.endDate]).toEqual(['2025-11-15', '2025-12-31'])
  })

  it('ignore the span of another station than the one chosen', () => {
    const form = useTraceFormStore()
    const before = [form.state.startDate, form.state.endDate]
    form.applyDataSpan({ ...SPAN, station: '成型' })
    expect([form.state.startDate, form.state.endDate]).toEqual(before)
  })
})
