import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MES_TABLES } from '../../../src/server/source/mes-schema.ts'
import { DEMO_DEFAULTS, demoDateSpan, type DemoOptions } from '../../../src/server/demo/demo-options.ts'
import { FLUSH_ROWS, generateDemo, type DemoSink } from '../../../src/server/demo/generate-demo.ts'

const small: DemoOptions = { ...DEMO_DEFAULTS, lots: 20 }

async function digest(options: DemoOptions): Promise<string> {
  const hash = createHash('sha256')
  await generateDemo(options, {
    write(table, rows) {
      hash.update(table)
      hash.update(JSON.stringify(rows))
    },
  })
  return hash.digest('hex')
}

/** Collects every row of a small generation (fine at test size only). */
async function collect(
  options: DemoOptions,
): Promise<{ tables: Map<string, unknown[][]>; writes: number[]; counts: Record<string, number> }> {
  const tables = new Map<string, unknown[][]>()
  const writes: number[] = []
  const sink: DemoSink = {
    async write(table, rows) {
      writes.push(rows.length)
      await new Promise((resolve) => setImmediate(resolve))
      tables.set(table, [...(tables.get(table) ?? []), ...rows])
    },
  }
  const counts = await generateDemo(options, sink)
  return { tables, writes, counts }
}

describe('generateDemo', () => {
  it('produces identical data for the same seed and different data for another seed', async () => {
    const first = await digest(small)
    expect(await digest(small)).toBe(first)
    expect(await digest({ ...small, seed: 2 })).not.toBe(first)
  })

  it('populates all seven tables with rows of exactly their MES_TABLES columns and returns their counts', async () => {
    const { tables, counts } = await collect(small)
    for (const spec of MES_TABLES) {
      const rows = tables.get(spec.name) ?? []
      expect(rows.length, spec.name).toBeGreaterThan(0)
      expect(counts[spec.name]).toBe(rows.length)
      for (const row of rows) expect(row).toHaveLength(spec.columns.length)
    }
  })

  it('writes in batches of about FLUSH_ROWS rows instead of whole tables', async () => {
    const { writes, counts } = await collect({ ...DEMO_DEFAULTS, lots: 120 })
    expect(counts.DW_MES_LOTWIPHISTORY).toBeGreaterThan(3 * FLUSH_ROWS)
    expect(Math.max(...writes)).toBeLessThan(2 * FLUSH_ROWS)
  })

  it('gives unique 16-hex CIDs and timestamps in the warehouse format inside the date span', async () => {
    const options = { ...small, months: 1 }
    const { tables } = await collect(options)
    const cids = (tables.get('DW_MES_CONTAINER') ?? []).map((r) => r[0] as string)
    expect(new Set(cids).size).toBe(cids.length)
    for (const cid of cids) expect(cid).toMatch(/^[0-9a-f]{16}$/)

    const span = demoDateSpan(options)
    const spanEnd = `${span.lastDay}T23:59:59`
    for (const spec of MES_TABLES) {
      spec.columns.forEach(([, type], i) => {
        if (type !== 'timestamp') return
        for (const row of tables.get(spec.name) ?? []) {
          const value = row[i]
          if (value === null) continue
          expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
          expect((value as string) >= `${span.firstDay}T00:00:00` && (value as string) <= spanEnd).toBe(true)
        }
      })
    }
  })

  it('reports generation progress up to the number of wafer lots', async () => {
    const seen: number[] = []
    await generateDemo(small, { write() {} }, (p) => seen.push(p.done))
    expect(seen[0]).toBe(0)
    expect(seen.at(-1)).toBe(small.lots)
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
  })

  it('rejects invalid options before writing anything', async () => {
    let writes = 0
    const sink: DemoSink = { write: () => void writes++ }
    await expect(generateDemo({ ...small, lots: 0 }, sink)).rejects.toThrow()
    await expect(generateDemo({ ...small, startDate: '2026-02-30' }, sink)).rejects.toThrow()
    expect(writes).toBe(0)
  })
})

describe('demoDateSpan', () => {
  it('covers the requested months from the start day', () => {
    expect(demoDateSpan({ ...DEMO_DEFAULTS, months: 3 })).toEqual({ firstDay: '2026-01-01', lastDay: '2026-03-31' })
    expect(demoDateSpan({ ...DEMO_DEFAULTS, startDate: '2025-11-15', months: 5 })).toEqual({
      firstDay: '2025-11-15',
      lastDay: '2026-04-14',
    })
  })
})
