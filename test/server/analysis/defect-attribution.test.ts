import { describe, expect, it } from 'vitest'
import { DefectAttribution, LotList, type DetectionLotFacts } from '../../../src/server/analysis/defect-attribution.ts'

/** A small deterministic generator, so the fixture is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

interface Planted {
  readonly facts: DetectionLotFacts[]
  readonly machineOf: (lot: number) => string[]
  readonly materialOf: (lot: number) => string | null
}

/**
 * 600 lots of 1000 units at the test station with a base reject rate of ~0.2 %. Known by construction:
 * DB-07 (焊接_DB) adds 2 % to the 40 lots through it, material lot ML-BAD adds 1.5 % to 30 lots, and SB-01
 * (電鍍) takes 85 % of all lots at the ordinary rate.
 */
function planted(): Planted {
  const rnd = lcg(7)
  const facts: DetectionLotFacts[] = []
  const machines: string[][] = []
  const materials: (string | null)[] = []
  for (let i = 0; i < 600; i++) {
    const through = [rnd() < 0.85 ? 'SB-01' : 'SB-02', i % 15 === 3 ? 'DB-07' : `DB-0${i % 6}`, `WB-${i % 9}`]
    const material = i % 20 === 11 ? 'ML-BAD' : `ML-${i % 25}`
    let rate = 0.001 + rnd() * 0.002
    if (through.includes('DB-07')) rate += 0.02
    if (material === 'ML-BAD') rate += 0.015
    const defects = Math.round(1000 * rate)
    const a = Math.round(defects * 0.6)
    facts.push({
      cid: `48810000${String(i).padStart(8, '0')}`,
      name: `GA2601${String(i).padStart(4, '0')}-A00-001`,
      inputQty: 1000,
      rejects: { 'IR leakage': a, 'VF fail': defects - a },
      machine: `TT-0${i % 4}`,
      trackIn: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00`,
      productType: i % 2 === 0 ? 'SOD-123' : 'SMA',
      productLine: i % 3 === 0 ? 'PKG-A' : 'PKG-B',
    })
    machines.push(through)
    materials.push(material)
  }
  return { facts, machineOf: (lot) => machines[lot], materialOf: (lot) => materials[lot] }
}

const GROUP: Record<string, string> = { SB: '電鍍', DB: '焊接_DB', WB: '焊接_WB' }

function build(p: Planted, keep: (f: DetectionLotFacts) => boolean = () => true): DefectAttribution {
  const a = new DefectAttribution()
  p.facts.forEach((f, i) => {
    if (!keep(f)) return
    const lot = a.addLot(f)
    for (const m of p.machineOf(i)) a.link('machine', [GROUP[m.slice(0, 2)], m, `eq-${m}`], [lot])
    const material = p.materialOf(i)
    if (material) a.link('material', ['LEADFRAME', material], [lot])
    a.link('wafer_root', [`W2601-${String(i % 30).padStart(4, '0')}`], [lot])
  })
  return a
}

describe('DefectAttribution', () => {
  it('puts the planted machine and material lot first by score, and not the busy machine with an ordinary rate', () => {
    const result = build(planted()).analyse()
    expect(result.suspects.machine[0].key).toEqual(['焊接_DB', 'DB-07', 'eq-DB-07'])
    expect(result.suspects.material[0].key).toEqual(['LEADFRAME', 'ML-BAD'])
    const busy = result.suspects.machine.find((s) => s.key[1] === 'SB-01')!
    expect(busy.detection_lot_count).toBeGreaterThan(450)
    expect(result.suspects.machine.indexOf(busy)).toBeGreaterThan(2)
    expect(busy.score).toBeLessThan(result.suspects.machine[0].score / 10)
    const top = result.suspects.machine[0]
    expect(top.lift!).toBeGreaterThan(5)
    expect(top.p_value).toBeLessThan(1e-10)
    expect(top.rate_ci![0]).toBeLessThanOrEqual(top.defect_rate)
    expect(top.rate_ci![1]).toBeGreaterThanOrEqual(top.defect_rate)
  })

  it('counts a lot linked to a key twice (itself and an ancestor) once', () => {
    const a = new DefectAttribution()
    const lot = a.addLot(planted().facts[0])
    a.link('machine', ['電鍍', 'SB-01', 'x'], [lot])
    a.link('machine', ['電鍍', 'SB-01', 'x'], [lot, lot])
    expect(a.analyse().suspects.machine[0].detection_lot_count).toBe(1)
  })

  it('has KPIs, rates, Pareto cumulative percentages and "other" that add up', () => {
    const p = planted()
    const result = build(p).analyse()
    const input = p.facts.reduce((s, f) => s + f.inputQty, 0)
    const defects = p.facts.reduce((s, f) => s + Object.values(f.rejects).reduce((x, y) => x + y, 0), 0)
    expect(result.kpi.total_input).toBe(input)
    expect(result.kpi.defect_qty).toBe(defects)
    expect(result.kpi.defect_rate).toBeCloseTo((100 * defects) / input, 4)
    expect(result.kpi.lot_count).toBe(600)
    const pareto = result.pareto.material
    expect(pareto).toHaveLength(11)
    expect(pareto[10].label).toBe('other')
    expect(pareto[10].cumulative_pct).toBe(100)
    for (let i = 1; i < pareto.length; i++)
      expect(pareto[i].cumulative_pct).toBeGreaterThanOrEqual(pareto[i - 1].cumulative_pct)
    // Every lot used exactly one material lot, so the material Pareto adds up to every defect.
    expect(pareto.reduce((s, x) => s + x.value, 0)).toBe(defects)
    const reasons = result.pareto.loss_reason
    expect(reasons.reduce((s, x) => s + x.value, 0)).toBe(defects)
    const trend = result.daily_trend
    expect(trend.reduce((s, d) => s + d.defect_qty, 0)).toBe(defects)
    expect(trend.reduce((s, d) => s + d.input_qty, 0)).toBe(input)
    expect(Object.keys(result.suspect_trends)[0]).toBe('DB-07 (焊接_DB)')
    expect(result.available_loss_reasons).toEqual(['IR leakage', 'VF fail'])
  })

  it('answers a product filter with the same numbers as a trace of those lots alone', () => {
    const p = planted()
    const filtered = build(p).analyse({ productTypes: ['SMA'], productLines: ['PKG-B'] })
    const rerun = build(p, (f) => f.productType === 'SMA' && f.productLine === 'PKG-B').analyse()
    expect(filtered.kpi).toEqual(rerun.kpi)
    expect(filtered.suspects).toEqual(rerun.suspects)
    expect(filtered.pareto).toEqual(rerun.pareto)
    expect(filtered.daily_trend).toEqual(rerun.daily_trend)
  })

  it('counts only the chosen loss reasons as defects, as a trace that saw only those rejects would', () => {
    const p = planted()
    const filtered = build(p).analyse({ lossReasons: ['VF fail'] })
    const only = { ...p, facts: p.facts.map((f) => ({ ...f, rejects: { 'VF fail': f.rejects['VF fail'] } })) }
    const rerun = build(only).analyse()
    expect(filtered.kpi).toEqual(rerun.kpi)
    expect(filtered.suspects).toEqual(rerun.suspects)
    expect(filtered.available_loss_reasons).toEqual(['IR leakage', 'VF fail'])
  })

  it('keeps machine suspects of the chosen workcenter groups only', () => {
    const result = build(planted()).analyse({ workcenterGroups: ['電鍍'] })
    expect(new Set(result.suspects.machine.map((s) => s.key[0]))).toEqual(new Set(['電鍍']))
  })

  it('pages the per-lot detail, worst lots first, naming the suspects each lot went through', () => {
    const a = build(planted())
    const page = a.lotDetail({}, 0, 25)
    expect(page.total).toBe(600)
    expect(page.rows).toHaveLength(25)
    expect(page.rows[0].DEFECT_QTY).toBeGreaterThanOrEqual(page.rows[24].DEFECT_QTY)
    expect(page.rows[0].SUSPECTS).toContain('DB-07')
    expect(a.lotDetail({}, 590, 25).rows).toHaveLength(10)
  })
})

describe('DefectAttribution state', () => {
  it('answers every filter the same after a round trip through its stored bytes', () => {
    const a = build(planted())
    const stored = a.toBytes()
    // A Buffer from a store may start at any offset of a shared ArrayBuffer.
    const shifted = Buffer.alloc(stored.length + 3)
    stored.copy(shifted, 3)
    const restored = DefectAttribution.fromBytes(shifted.subarray(3))
    for (const filter of [
      {},
      { lossReasons: ['IR leakage'] },
      { productTypes: ['SOD-123'] },
      { productTypes: ['not a type'] },
      { workcenterGroups: ['焊接_DB'] },
    ]) {
      expect(restored.analyse(filter)).toEqual(a.analyse(filter))
      expect(restored.lotDetail(filter, 10, 5)).toEqual(a.lotDetail(filter, 10, 5))
    }
  })
})

describe('LotList', () => {
  it('holds each lot once however often rows of ancestors link it again, in any order', () => {
    const list = new LotList()
    for (let round = 0; round < 1000; round++) for (const lot of [7, 3, 9, 3, 0, 7]) list.push(lot)
    list.push(12)
    expect([...list.view()]).toEqual([0, 3, 7, 9, 12])
  })
})
