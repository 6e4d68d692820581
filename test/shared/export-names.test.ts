import { describe, expect, it } from 'vitest'
import { asciiFileName, exportFileName, traceSubject } from '../../src/shared/export-names.ts'

describe('export file names', () => {
  it('say the profile, the first input and the day the data was read, then the domain', () => {
    const subject = traceSubject({ input_type: 'wafer_lot', values: ['W2601-0001'] })
    expect(
      exportFileName({ profile: 'query_tool', subject, readAt: '2026-01-15T08:00:00Z', part: 'history', ext: 'xlsx' }),
    ).toBe('query_tool-W2601-0001-2026-01-15-history.xlsx')
  })

  it('count the other inputs, name the MSD station, or the first container id', () => {
    expect(traceSubject({ values: ['GA1', 'GA2', 'GA3'] })).toBe('GA1+2')
    expect(traceSubject({ mode: 'date_range', station: '測試', start_date: '2026-01-01' })).toBe('測試')
    expect(traceSubject({}, ['4881000381000009', '48810380001cba48'])).toBe('4881000381000009+1')
    expect(traceSubject(null)).toBe('trace')
  })

  it('replace what a file system refuses, and keep an ASCII form for old clients', () => {
    const name = exportFileName({
      profile: 'mid_section_defect',
      subject: 'a/b:c*"d" e',
      readAt: new Date('2026-03-05T00:00:00Z'),
      part: 'all',
      ext: 'csv',
    })
    expect(name).toBe('mid_section_defect-a_b_c__d__e-2026-03-05-all.csv')
    expect(asciiFileName('mid_section_defect-測試-2026-03-05-all.xlsx')).toBe(
      'mid_section_defect-__-2026-03-05-all.xlsx',
    )
  })
})
