import { describe, expect, it } from 'vitest'
import { cpuPhase, type CpuTicks } from '../../bench/lib/cpu-stat.ts'
import { streamShape } from '../../bench/lib/stream-shape.ts'

const lines = [
  { type: 'meta', job_id: 'j', domains: ['upstream_history'] },
  { type: 'domain_start', domain: 'upstream_history', columns: ['CONTAINERID', 'SPECNAME', 'TRACKINQTY'] },
  {
    type: 'records',
    domain: 'upstream_history',
    batch: 0,
    count: 2,
    rows: [
      ['A', 'S1', 1],
      ['B', 'S1', 2],
    ],
  },
  {
    type: 'records',
    domain: 'upstream_history',
    batch: 1,
    count: 2,
    rows: [
      ['A', 'S2', 3],
      ['C', null, 4],
    ],
  },
  { type: 'complete', total_records: 4, counts: { upstream_history: 4 } },
]

describe('streamShape', () => {
  it('counts rows, bytes and distinct strings per column of a stream cut at arbitrary byte boundaries', () => {
    const text = Buffer.from(lines.map((l) => JSON.stringify(l) + '\n').join(''))
    const chunks = [text.subarray(0, 7), text.subarray(7, 150), text.subarray(150)]
    const shape = streamShape(chunks)
    expect(shape.lines).toBe(5)
    expect(shape.bytes).toBe(text.length)
    const d = shape.domains.upstream_history
    expect(d.rows).toBe(4)
    expect(d.records_lines).toBe(2)
    expect(d.distinct_strings).toEqual({ CONTAINERID: 3, SPECNAME: 2 })
    expect(d.bytes).toBe(JSON.stringify(lines[2]).length + JSON.stringify(lines[3]).length + 2)
  })
})

describe('cpuPhase', () => {
  it('gives busy and steal as shares of all cores time between two snapshots', () => {
    const zero: CpuTicks = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 }
    const after: CpuTicks = { ...zero, user: 50, system: 10, idle: 30, steal: 10 }
    const phase = cpuPhase(zero, after)
    expect(phase.busy_percent).toBe(60)
    expect(phase.steal_percent).toBe(10)
    expect(phase.steal_ticks).toBe(10)
  })
})
