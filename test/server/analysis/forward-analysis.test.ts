import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ForwardAnalysisResult } from '../../../src/shared/defect-analysis.ts'
import { ForwardAnalysis } from '../../../src/server/analysis/forward-analysis.ts'
import { streamDomain } from '../../../src/server/pipeline/events.ts'
import { walkLineage } from '../../../src/server/pipeline/lineage-walk.ts'
import { msdWindow } from '../../../src/server/pipeline/seed-msd-queries.ts'
import { fixtureCid, type FixtureRow, type FixtureRows } from '../../helpers/fixture-db.ts'
import { openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

// Three lots pass plating (the detection station) in February. D1 splits into S1 and S2; S2 and D2 merge into M;
// D3 goes on alone. Downstream: marking (移印), then test (測試).
const D1 = fixtureCid(0x21)
const D2 = fixtureCid(0x22)
const D3 = fixtureCid(0x23)
const S1 = fixtureCid(0x31)
const S2 = fixtureCid(0x32)
const M = fixtureCid(0x41)
const lot = (cid: string, name: string, extra: FixtureRow = {}): FixtureRow => ({
  CONTAINERID: cid,
  CONTAINERNAME: name,
  OBJECTTYPE: 'LOT',
  ...extra,
})
const track = (cid: string, workcenter: string, machine: string, day: number, qty: number): FixtureRow => ({
  CONTAINERID: cid,
  WORKCENTERNAME: workcenter,
  EQUIPMENTID: `id-${machine}`,
  EQUIPMENTNAME: machine,
  TRACKINTIMESTAMP: `2026-02-${String(day).padStart(2, '0')}T08:00:00`,
  TRACKINQTY: qty,
})
const reject = (
  cid: string,
  workcenter: string,
  machine: string,
  reason: string,
  qty: number,
  day: number,
): FixtureRow => ({
  CONTAINERID: cid,
  WORKCENTERNAME: workcenter,
  EQUIPMENTNAME: machine,
  LOSSREASONNAME: reason,
  REJECTQTY: qty,
  TXNDATE: `2026-02-${String(day).padStart(2, '0')}T09:00:00`,
})

const ROWS: FixtureRows = {
  DW_MES_CONTAINER: [
    lot(D1, 'GA-D1'),
    lot(D2, 'GA-D2'),
    lot(D3, 'GA-D3'),
    lot(S1, 'GA-D1.1', { SPLITFROMID: D1 }),
    lot(S2, 'GA-D1.2', { SPLITFROMID: D1 }),
    lot(M, 'ASSY-M'),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    { CONTAINERID: S2, CONTAINERNAME: 'GA-D1.2', LOTID: M, FINISHEDNAME: 'SN-M' },
    { CONTAINERID: D2, CONTAINERNAME: 'GA-D2', LOTID: M, FINISHEDNAME: 'SN-M' },
  ],
  DW_MES_LOTWIPHISTORY: [
    // Before the detection station: not downstream, never counted.
    track(D1, '成型', 'MD-1', 1, 1000),
    track(D1, '電鍍', 'PL-1', 2, 1000),
    track(D2, '電鍍', 'PL-1', 2, 800),
    track(D3, '電鍍', 'PL-2', 3, 500),
    track(S1, '移印', 'MK-1', 4, 600),
    track(S2, '移印', 'MK-1', 4, 400),
    track(D2, '移印', 'MK-2', 4, 800),
    track(D3, '移印', 'MK-2', 5, 500),
    track(M, '測試', 'TT-1', 6, 1200),
    track(D3, '測試', 'TT-1', 6, 500),
  ],
  DW_MES_LOTREJECTHISTORY: [
    // At the detection station: D1's largest reason is VOID, D2's SCRATCH, D3 has none.
    reject(D1, '電鍍', 'PL-1', 'VOID', 30, 2),
    reject(D1, '電鍍', 'PL-1', 'SCRATCH', 5, 2),
    reject(D2, '電鍍', 'PL-1', 'SCRATCH', 10, 2),
    reject(S1, '移印', 'MK-1', 'SMEAR', 6, 4),
    reject(M, '測試', 'TT-1', 'OPEN', 24, 6),
    reject(D3, '測試', 'TT-1', 'OPEN', 5, 6),
  ],
}

describe('ForwardAnalysis on a genealogy with a split and a merge', () => {
  let fx: FixtureSource
  let result: ForwardAnalysisResult
  beforeAll(async () => {
    fx = await openFixture('sqlite', ROWS, { TRACE_IN_BATCH_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '3' })
    const opts = { config: fx.config }
    const analysis = new ForwardAnalysis(
      msdWindow({
        mode: 'date_range',
        station: '電鍍',
        start_date: '2026-02-01',
        end_date: '2026-02-28',
        direction: 'forward',
      }),
    )
    await analysis.loadDetections(fx.source, opts)
    const cids = [...(await walkLineage(fx.source, opts, [D1, D2, D3], 'forward', 20, analysis.links))].sort()
    expect(cids).toEqual([D1, D2, D3, S1, S2, M].sort())
    analysis.linkLineage()
    for (const domain of ['upstream_history', 'downstream_rejects'] as const) {
      for await (const batch of streamDomain(fx.source, domain, cids, opts)) analysis.add(domain, batch)
    }
    result = analysis.result()
  })
  afterAll(async () => fx?.close())

  it('re-keys the merged lot’s rejects to both of its seeds’ detection reasons in the crosstab', () => {
    expect(result.crosstab.workcenter_groups).toEqual(['移印', '測試'])
    const cell = (reason: string, group: string): number =>
      result.crosstab.cells[result.crosstab.detection_reasons.indexOf(reason)][
        result.crosstab.workcenter_groups.indexOf(group)
      ]
    expect(cell('VOID', '測試')).toBe(24)
    expect(cell('SCRATCH', '測試')).toBe(24)
    expect(cell('(no reject)', '測試')).toBe(5)
    expect(cell('VOID', '移印')).toBe(6)
    expect(cell('SCRATCH', '移印')).toBe(0)
  })

  it('counts each downstream reject once in the KPIs and re-keys it to every seed it descends from', () => {
    expect(result.direction).toBe('forward')
    expect(result.kpi).toEqual({
      detection_lots: 3,
      detection_defect_qty: 45,
      lots_tracked: 6,
      stations_reached: 2,
      downstream_reject_qty: 35,
      downstream_reject_rate: 1.5217,
    })
    expect(result.seeds.map((s) => [s.CONTAINERNAME, s.DETECTION_REASON, s.DOWNSTREAM_REJECT_QTY])).toEqual([
      ['GA-D1', 'VOID', 30],
      ['GA-D2', 'SCRATCH', 24],
      ['GA-D3', '(no reject)', 5],
    ])
  })

  it('gives each downstream station and machine its seeds reached, input, rejects and rate', () => {
    expect(result.stations).toEqual([
      {
        workcenter_group: '移印',
        lots_reached: 3,
        input_qty: 2300,
        reject_qty: 6,
        reject_rate: 0.2609,
        by_loss_reason: { SMEAR: 6 },
      },
      {
        workcenter_group: '測試',
        lots_reached: 3,
        input_qty: 1700,
        reject_qty: 29,
        reject_rate: 1.7059,
        by_loss_reason: { OPEN: 29 },
      },
    ])
    expect(
      result.machines.map((m) => [m.workcenter_group, m.equipment_name, m.lots_reached, m.input_qty, m.reject_qty]),
    ).toEqual([
      ['測試', 'TT-1', 3, 1700, 29],
      ['移印', 'MK-1', 1, 1000, 6],
      ['移印', 'MK-2', 2, 1300, 0],
    ])
  })
})
