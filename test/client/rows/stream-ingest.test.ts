// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { RowStore } from '../../../src/client/rows/row-store.ts'
import { StreamIngest } from '../../../src/client/rows/stream-ingest.ts'

describe('StreamIngest', () => {
  it('skips batches already applied (a resumed stream may repeat them) and tracks the resume point', () => {
    const store = new RowStore()
    const ingest = new StreamIngest(store)
    expect(ingest.resumeFrom()).toBeNull()
    ingest.apply({ type: 'domain_start', domain: 'holds', columns: ['A'] })
    ingest.apply({ type: 'records', domain: 'holds', batch: 0, count: 1, rows: [[1]] })
    ingest.apply({ type: 'domain_start', domain: 'holds', columns: ['A'] })
    expect(ingest.apply({ type: 'records', domain: 'holds', batch: 0, count: 1, rows: [[1]] })).toEqual([
      { kind: 'skipped' },
    ])
    ingest.apply({ type: 'records', domain: 'holds', batch: 1, count: 2, rows: [[2], [3]] })
    expect(store.get('holds')!.length).toBe(3)
    expect(ingest.resumeFrom()).toBe('holds:1')
  })

  it('reads rows sent as objects (shape=objects)', () => {
    const store = new RowStore()
    const ingest = new StreamIngest(store)
    ingest.apply({ type: 'domain_start', domain: 'jobs', columns: ['JOBID', 'RESOURCENAME'] })
    ingest.apply({
      type: 'records',
      domain: 'jobs',
      batch: 0,
      count: 1,
      data: [{ RESOURCENAME: 'DB-07', JOBID: 'J1' }],
    })
    expect(store.get('jobs')!.raw(0, 1)).toBe('DB-07')
  })

  it('calls a records line inconsistent with its own count invalid', () => {
    const ingest = new StreamIngest(new RowStore())
    const [outcome] = ingest.apply({ type: 'records', domain: 'history', batch: 0, count: 2, rows: [[1]] })
    expect(outcome).toEqual({ kind: 'invalid', message: 'records history:0 says 2 rows but has 1' })
  })

  it('flags a domain whose domain_end count differs even when complete agrees with it', () => {
    const store = new RowStore()
    const ingest = new StreamIngest(store)
    ingest.apply({ type: 'records', domain: 'history', batch: 0, count: 1, rows: [[1]] })
    ingest.apply({ type: 'domain_end', domain: 'history', count: 2 })
    const [outcome] = ingest.apply({ type: 'complete', total_records: 2, counts: { history: 2 } })
    expect(outcome).toEqual({
      kind: 'complete',
      mismatches: [
        { domain: 'history', expected: 2, received: 1 },
        { domain: 'total', expected: 2, received: 1 },
      ],
    })
    expect(ingest.finished).toBe(true)
  })
})
