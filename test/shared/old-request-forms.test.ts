import { describe, expect, it } from 'vitest'
import { eventsRequestSchema, lineageRequestSchema, parseSeedParams } from '../../src/shared/schemas.ts'

const CID = '4881000381000041'

describe('the old request forms', () => {
  it('accepts resolve_type as the old name of input_type', () => {
    const r = parseSeedParams('query_tool', { resolve_type: 'lot_id', values: ['GA1-A01'] })
    expect(r.success && r.data.params).toEqual({ input_type: 'lot_id', values: ['GA1-A01'] })
  })

  it('lets input_type win when both names are sent', () => {
    const r = parseSeedParams('query_tool_reverse', {
      input_type: 'serial_number',
      resolve_type: 'lot_id',
      values: 'SN1',
    })
    expect(r.success && r.data.params).toEqual({ input_type: 'serial_number', values: ['SN1'] })
  })

  it('still refuses a resolve_type the profile does not take', () => {
    expect(parseSeedParams('query_tool', { resolve_type: 'serial_number', values: 'SN1' }).success).toBe(false)
  })

  it.each([
    ['', []],
    ['A,B', ['A', 'B']],
    [' A , ,B ', ['A', 'B']],
    [
      ['A', ' B '],
      ['A', 'B'],
    ],
    [[], []],
  ])('reads loss_reasons %j as %j', (lossReasons, expected) => {
    const r = parseSeedParams('mid_section_defect', {
      mode: 'date_range',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      loss_reasons: lossReasons,
    })
    expect(r.success && r.data.profile === 'mid_section_defect' && r.data.params.loss_reasons).toEqual(expected)
  })

  it('reads date_range [start, end] and the old date-range params without a mode', () => {
    const r = parseSeedParams('mid_section_defect', {
      date_range: ['2026-01-01', '2026-01-31'],
      station: '測試',
      loss_reasons: 'A',
    })
    expect(r.success && r.data.params).toEqual({
      mode: 'date_range',
      station: '測試',
      start_date: '2026-01-01',
      end_date: '2026-01-31',
      direction: 'backward',
      loss_reasons: ['A'],
    })
  })

  it('reads the old container mode with resolve_type', () => {
    const r = parseSeedParams('mid_section_defect', { mode: 'container', resolve_type: 'wafer_lot', values: ['W1'] })
    expect(r.success && r.data.params).toMatchObject({ mode: 'container', input_type: 'wafer_lot', values: ['W1'] })
  })

  it('drops what the old client sends beside the params instead of refusing it', () => {
    const r = parseSeedParams('query_tool', {
      resolve_type: 'lot_id',
      values: 'X',
      cache_key: 'trace:seed:query_tool:1',
    })
    expect(r.success && r.data.params).toEqual({ input_type: 'lot_id', values: ['X'] })
    const lineage = lineageRequestSchema.safeParse({
      profile: 'query_tool',
      container_ids: [CID],
      cache_key: null,
      params: { resolve_type: 'lot_id' },
    })
    expect(lineage.success).toBe(true)
    const events = eventsRequestSchema.safeParse({
      profile: 'query_tool',
      container_ids: [CID],
      domains: ['history'],
      cache_key: null,
      params: { resolve_type: 'lot_id', values: ['X'] },
      seed_container_ids: [CID],
      lineage: { ancestors: {}, children_map: { [CID]: [] }, seed_roots: {} },
    })
    expect(events.success).toBe(true)
  })
})
