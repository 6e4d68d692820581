import { describe, expect, it } from 'vitest'
import { checkTraceRequest } from '../../../src/client/trace/validate-request.ts'

const issuesOf = (request: unknown): readonly { path: string; message: string }[] => {
  const check = checkTraceRequest(request)
  return check.ok ? [] : check.issues
}

describe('checkTraceRequest', () => {
  it('passes a valid request on as parsed', () => {
    const check = checkTraceRequest({
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: ['GA23100020-A00-011'] },
      domains: ['history'],
    })
    expect(check).toEqual({
      ok: true,
      request: {
        profile: 'query_tool',
        params: { input_type: 'lot_id', values: ['GA23100020-A00-011'] },
        domains: ['history'],
      },
    })
  })

  it('names the field of each problem with the profile', () => {
    expect(issuesOf({ profile: 'nope', params: {} }).map((i) => i.path)).toEqual(['profile'])
    expect(issuesOf({ profile: 'query_tool' }).map((i) => i.path)).toEqual(['params'])
  })

  it('checks the params the profile takes, under params.<field>', () => {
    const blank = issuesOf({ profile: 'query_tool', params: { input_type: 'lot_id', values: ' \n, ' } })
    expect(blank).toEqual([{ path: 'params.values', message: 'values must contain at least one non-blank token' }])
    const wrongType = issuesOf({ profile: 'query_tool_reverse', params: { input_type: 'lot_id', values: 'A' } })
    expect(wrongType.map((i) => i.path)).toEqual(['params.input_type'])
    const backwards = issuesOf({
      profile: 'mid_section_defect',
      params: { mode: 'date_range', start_date: '2026-02-01', end_date: '2026-01-01' },
    })
    expect(backwards).toEqual([{ path: 'params.end_date', message: 'end_date is before start_date' }])
    const notADay = issuesOf({
      profile: 'mid_section_defect',
      params: { mode: 'date_range', start_date: '2026-02-30', end_date: '2026-03-31' },
    })
    expect(notADay).toEqual([{ path: 'params.start_date', message: 'not a real calendar date' }])
  })

  it('reports unknown domains with the params problems, not instead of them', () => {
    const issues = issuesOf({
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: '' },
      domains: ['history', 'weather'],
    })
    expect(issues.map((i) => i.path)).toEqual(['params.values', 'domains'])
    expect(issues[1].message).toBe('unsupported domains: weather')
  })
})
