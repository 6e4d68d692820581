import { describe, expect, it } from 'vitest'
import { progressOf } from '../../../src/client/trace/trace-stages.ts'
import { jobStatus } from '../support/trace-fixtures.ts'

describe('progressOf', () => {
  it('reads the view of a status answer, stamped with when it was received', () => {
    const status = jobStatus('started', 'events', {
      progress: { stage: 'events', pct: 42.5, cids_done: 7, cids_total: 9, rows: 1200, chunks: 1, domain: 'history' },
    })
    expect(progressOf(status, 1_000)).toEqual({
      job_id: status.job_id,
      status: 'started',
      stage: 'events',
      pct: 42.5,
      rows: 1200,
      cids_done: 7,
      cids_total: 9,
      domain: 'history',
      elapsed_seconds: 8,
      domains: ['history'],
      received_at: 1_000,
    })
  })

  it('holds the percentage between 0 and 100, and reads a missing one as 0', () => {
    const at = (pct: unknown): number =>
      progressOf(
        jobStatus('started', 'events', {
          progress: { stage: 'events', pct: pct as number, cids_done: 0, cids_total: 0, rows: 0, chunks: 0 },
        }),
        0,
      ).pct
    expect(at(140)).toBe(100)
    expect(at(-3)).toBe(0)
    expect(at(undefined)).toBe(0)
    expect(at('12')).toBe(12)
  })

  it('says no domain yet as null', () => {
    expect(progressOf(jobStatus('queued', 'queued'), 0).domain).toBeNull()
  })
})
