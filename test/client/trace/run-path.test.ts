import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chooseRunPath, requestDirection, STAGED_MAX_TOKENS } from '../../../src/client/trace/run-path.ts'
import type { JobRequest } from '../../../src/shared/schemas.ts'

const lookup = (values: string | string[]): JobRequest => ({
  profile: 'query_tool',
  params: { input_type: 'lot_id', values },
})
const lotName = fc.stringMatching(/^[A-Z]{2}\d{8}-A00-\d{3}$/)

describe('chooseRunPath', () => {
  it('runs a few exact ids through the staged calls and anything with a wildcard as a job', () => {
    fc.assert(
      fc.property(fc.array(lotName, { minLength: 1, maxLength: STAGED_MAX_TOKENS }), fc.nat(), (names, at) => {
        expect(chooseRunPath(lookup(names), 'auto')).toBe('staged')
        expect(chooseRunPath(lookup(names.join('\n')), 'auto')).toBe('staged')
        const withPattern = [...names]
        withPattern[at % names.length] = names[at % names.length].slice(0, 6) + '*'
        expect(chooseRunPath(lookup(withPattern), 'auto')).toBe('job')
      }),
    )
  })

  it('runs more ids than the staged limit as a job', () => {
    const names = Array.from({ length: STAGED_MAX_TOKENS + 1 }, (_, i) => `GA2601${String(i).padStart(4, '0')}-A00-001`)
    expect(chooseRunPath(lookup(names), 'auto')).toBe('job')
    expect(chooseRunPath(lookup(names.slice(1)), 'auto')).toBe('staged')
  })

  it('always runs an MSD date range as a job, and honours an explicit choice', () => {
    const msd: JobRequest = {
      profile: 'mid_section_defect',
      params: { mode: 'date_range', start_date: '2026-01-01', end_date: '2026-01-31' },
    }
    expect(chooseRunPath(msd, 'auto')).toBe('job')
    expect(chooseRunPath(msd, 'staged')).toBe('staged')
    expect(chooseRunPath(lookup(['GA26010001-A00-001']), 'job')).toBe('job')
  })
})

describe('requestDirection', () => {
  it('reads the direction from the profile, and from MSD params (backward unless asked)', () => {
    expect(requestDirection(lookup('x'))).toBe('forward')
    expect(requestDirection({ profile: 'query_tool_reverse', params: {} })).toBe('backward')
    expect(requestDirection({ profile: 'mid_section_defect', params: {} })).toBe('backward')
    expect(requestDirection({ profile: 'mid_section_defect', params: { direction: 'forward' } })).toBe('forward')
  })
})
