import { describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS, type Domain } from '../../../src/shared/domains.ts'
import { createMsdAggregator } from '../../../src/server/pipeline/msd-aggregator.ts'

/** A row in DOMAIN_COLUMNS order from named values. */
const row = (domain: Domain, values: Record<string, unknown>): unknown[] =>
  DOMAIN_COLUMNS[domain].map((c) => values[c] ?? null)
const up = (cid: string, group: string, eq: string) =>
  row('upstream_history', { CONTAINERID: cid, WORKCENTER_GROUP: group, EQUIPMENTNAME: eq })
const mat = (cid: string, part: string, lot: string) =>
  row('materials', { CONTAINERID: cid, MATERIALPARTNAME: part, MATERIALLOTNAME: lot })
const rej = (cid: string, group: string, reason: string, eq: string, qty: number) =>
  row('downstream_rejects', {
    CONTAINERID: cid,
    WORKCENTER_GROUP: group,
    LOSSREASONNAME: reason,
    EQUIPMENTNAME: eq,
    REJECT_TOTAL_QTY: qty,
  })

describe('createMsdAggregator', () => {
  it('counts each lot once per machine, however many rows it has there', () => {
    const agg = createMsdAggregator('backward')
    agg.add('upstream_history', [up('a', '焊接_WB', 'WB1'), up('a', '焊接_WB', 'WB1'), up('a', '測試', 'T1')])
    agg.add('upstream_history', [up('b', '焊接_WB', 'WB1'), up('c', '焊接_WB', 'WB2')])
    const r = agg.result()
    expect(r.lots).toEqual({ upstream_history: 3 })
    expect(r.machines).toEqual([
      { workcenter_group: '焊接_WB', equipment_name: 'WB1', lots: 2 },
      { workcenter_group: '焊接_WB', equipment_name: 'WB2', lots: 1 },
      { workcenter_group: '測試', equipment_name: 'T1', lots: 1 },
    ])
  })

  it('counts a lot without a machine or material lot but ranks no empty suspect', () => {
    const agg = createMsdAggregator('backward')
    agg.add('upstream_history', [row('upstream_history', { CONTAINERID: 'a', WORKCENTER_GROUP: '成型' })])
    agg.add('materials', [row('materials', { CONTAINERID: 'a', MATERIALPARTNAME: 'WIRE' })])
    const r = agg.result()
    expect(r.lots).toEqual({ upstream_history: 1, materials: 1 })
    expect(r.machines).toEqual([])
    expect(r.materials).toEqual([])
  })

  it('counts lots per material lot and ignores domains it does not summarise', () => {
    const agg = createMsdAggregator('backward')
    agg.add('materials', [
      mat('a', 'WIRE', 'W-1'),
      mat('a', 'WIRE', 'W-1'),
      mat('b', 'WIRE', 'W-1'),
      mat('b', 'GLUE', 'G-1'),
    ])
    agg.add('history', [['a', 'x']])
    const r = agg.result()
    expect(r.materials).toEqual([
      { material_part: 'WIRE', material_lot: 'W-1', lots: 2 },
      { material_part: 'GLUE', material_lot: 'G-1', lots: 1 },
    ])
    expect(r.lots).toEqual({ materials: 2 })
  })

  it('sums downstream reject quantities per reason and per machine', () => {
    const agg = createMsdAggregator('forward')
    agg.add('downstream_rejects', [
      rej('a', '測試', 'OPEN', 'T1', 3),
      rej('a', '測試', 'OPEN', 'T1', 2),
      rej('b', '測試', 'OPEN', 'T2', 1),
      rej('b', '電鍍', 'PEEL', 'P1', 9),
    ])
    const r = agg.result()
    expect(r.direction).toBe('forward')
    expect(r.reject_reasons).toEqual([
      { workcenter_group: '測試', loss_reason: 'OPEN', lots: 2, reject_qty: 6 },
      { workcenter_group: '電鍍', loss_reason: 'PEEL', lots: 1, reject_qty: 9 },
    ])
    expect(r.reject_machines).toEqual([
      { workcenter_group: '電鍍', equipment_name: 'P1', lots: 1, reject_qty: 9 },
      { workcenter_group: '測試', equipment_name: 'T1', lots: 1, reject_qty: 5 },
      { workcenter_group: '測試', equipment_name: 'T2', lots: 1, reject_qty: 1 },
    ])
  })

  it("answers the old page's summary keys from its counts in a forward trace", () => {
    const agg = createMsdAggregator('forward')
    const dated = (r: unknown[], day: string): unknown[] => {
      r[DOMAIN_COLUMNS.downstream_rejects.indexOf('TXNDATE')] = `${day}T10:00:00`
      return r
    }
    agg.add('upstream_history', [up('a', '焊接_DB', 'DB-01'), up('b', '焊接_DB', 'DB-01'), up('b', '成型', 'MD-02')])
    agg.add('downstream_rejects', [
      dated(rej('a', '測試', 'OPEN', 'T1', 3), '2026-01-02'),
      dated(rej('a', '測試', 'SHORT', 'T1', 2), '2026-01-01'),
      dated(rej('b', '測試', 'OPEN', 'T2', 1), '2026-01-02'),
    ])
    const r = agg.result()
    expect(r.kpi).toEqual({ lot_count: 2, machine_count: 2, material_lot_count: 0, defect_qty: 6 })
    expect(r.detail_total_count).toBe(2)
    expect(r.available_loss_reasons).toEqual(['OPEN', 'SHORT'])
    expect(r.daily_trend).toEqual([
      { date: '2026-01-01', lot_count: 1, defect_qty: 2 },
      { date: '2026-01-02', lot_count: 2, defect_qty: 4 },
    ])
    expect(r.charts.by_machine).toEqual([
      { name: '焊接_DB · DB-01', lot_count: 2 },
      { name: '成型 · MD-02', lot_count: 1 },
    ])
    expect(r.charts.by_downstream_loss_reason[0]).toEqual({ name: '測試 · OPEN', lot_count: 2, defect_qty: 4 })
    expect(r.charts.by_material).toEqual([])
  })

  it('leaves the dated and reject keys empty in a backward trace, whose events carry no defects', () => {
    const agg = createMsdAggregator('backward')
    agg.add('upstream_history', [up('a', '焊接_DB', 'DB-01')])
    agg.add('materials', [mat('a', 'WIRE', 'W-1'), mat('b', 'WIRE', 'W-2')])
    const r = agg.result()
    expect(r.kpi).toEqual({ lot_count: 1, machine_count: 1, material_lot_count: 2, defect_qty: 0 })
    expect(r.charts.by_material.map((m) => m.name)).toEqual(['WIRE · W-1', 'WIRE · W-2'])
    expect(r.daily_trend).toEqual([])
    expect(r.available_loss_reasons).toEqual([])
  })

  it('stays bounded: top N entries and a key cap, whatever the number of rows', () => {
    const agg = createMsdAggregator('backward', { topN: 3, maxKeys: 10 })
    for (let cid = 0; cid < 2000; cid++) {
      agg.add(
        'materials',
        Array.from({ length: 50 }, (_, i) => mat(`c${cid}`, 'P', `L${(cid + i) % 40}`)),
      )
    }
    const r = agg.result()
    expect(r.materials).toHaveLength(3)
    expect(r.truncated).toBe(true)
    expect(r.lots).toEqual({ materials: 2000 })
    expect(JSON.stringify(r).length).toBeLessThan(2000)
  })
})
