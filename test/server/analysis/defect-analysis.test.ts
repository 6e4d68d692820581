import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DefectAnalysis } from '../../../src/server/analysis/defect-analysis.ts'
import { streamDomain } from '../../../src/server/pipeline/events.ts'
import { walkLineage } from '../../../src/server/pipeline/lineage-walk.ts'
import { msdWindow } from '../../../src/server/pipeline/seed-msd-queries.ts'
import { fixtureCid, type FixtureRows, type FixtureValue } from '../../helpers/fixture-db.ts'
import { openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

const LOTS = 24
const ROOT = fixtureCid(1)
const parent = (i: number): string => fixtureCid(100 + i)
const detection = (i: number): string => fixtureCid(200 + i)
/** Parents 0-7 went through the bad die-bond machine; parents 0-3 also used the bad material lot. */
const viaBadMachine = (i: number): boolean => i < 8
const viaBadMaterial = (i: number): boolean => i < 4

/**
 * A wafer lot split into parent lots (die bond happens on the parents), each split again into the lot that
 * reaches the test station. The bad machine and material are only in the parents' rows: the analysis finds
 * them through the genealogy. Every lot passes the same plating machine.
 */
function rows(): FixtureRows {
  type Row = Record<string, FixtureValue>
  const container: Row[] = [{ CONTAINERID: ROOT, CONTAINERNAME: 'W2601-0001', OBJECTTYPE: 'LOT', FIRSTNAME: null }]
  const history: Row[] = []
  const materials: Row[] = []
  const rejects: Row[] = []
  for (let i = 0; i < LOTS; i++) {
    const day = String(1 + (i % 20)).padStart(2, '0')
    container.push(
      { CONTAINERID: parent(i), CONTAINERNAME: `GA2601${i}-A00`, OBJECTTYPE: 'LOT', SPLITFROMID: ROOT },
      {
        CONTAINERID: detection(i),
        CONTAINERNAME: `GA2601${i}-A00-001`,
        OBJECTTYPE: 'LOT',
        SPLITFROMID: parent(i),
        PJ_TYPE: 'SMA',
        PRODUCTLINENAME: 'PKG-A',
      },
    )
    history.push(
      {
        CONTAINERID: parent(i),
        WORKCENTERNAME: '焊接_DB',
        EQUIPMENTID: 'e1',
        EQUIPMENTNAME: viaBadMachine(i) ? 'DB-BAD' : `DB-0${i % 3}`,
        TRACKINTIMESTAMP: `2026-01-${day}T01:00:00`,
        TRACKINQTY: 1000,
      },
      {
        CONTAINERID: detection(i),
        WORKCENTERNAME: '電鍍',
        EQUIPMENTID: 'e2',
        EQUIPMENTNAME: 'SB-01',
        TRACKINTIMESTAMP: `2026-01-${day}T05:00:00`,
        TRACKINQTY: 1000,
      },
      {
        CONTAINERID: detection(i),
        WORKCENTERNAME: '測試',
        EQUIPMENTID: 'e3',
        EQUIPMENTNAME: `TT-0${i % 2}`,
        TRACKINTIMESTAMP: `2026-01-${day}T09:00:00`,
        TRACKINQTY: 1000,
      },
    )
    materials.push({
      CONTAINERID: parent(i),
      MATERIALPARTNAME: 'LEADFRAME',
      MATERIALLOTNAME: viaBadMaterial(i) ? 'ML-BAD' : `ML-0${i % 4}`,
      WORKCENTERNAME: '焊接_DB',
      TXNDATE: `2026-01-${day}T01:10:00`,
    })
    const qty = (viaBadMachine(i) ? 40 : 2) + (viaBadMaterial(i) ? 15 : 0) + (i % 3)
    rejects.push({
      CONTAINERID: detection(i),
      WORKCENTERNAME: '測試',
      LOSSREASONNAME: 'IR leakage',
      REJECTQTY: qty,
      TXNDATE: `2026-01-${day}T09:30:00`,
    })
  }
  return {
    DW_MES_CONTAINER: container,
    DW_MES_LOTWIPHISTORY: history,
    DW_MES_LOTMATERIALSHISTORY: materials,
    DW_MES_LOTREJECTHISTORY: rejects,
  }
}

describe('DefectAnalysis on a genealogy', () => {
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await openFixture('sqlite', rows(), { TRACE_IN_BATCH_SIZE: '5', DB_SLOW_FETCHMANY_SIZE: '7' })
  })
  afterAll(async () => fx?.close())

  it('finds the bad machine and material lot of the detection lots’ ancestors, and their wafer root', async () => {
    const opts = { config: fx.config }
    const analysis = new DefectAnalysis(
      msdWindow({
        mode: 'date_range',
        station: '測試',
        start_date: '2026-01-01',
        end_date: '2026-01-31',
        direction: 'backward',
      }),
    )
    await analysis.loadDetections(fx.source, opts)
    expect(analysis.attribution.lotCount).toBe(LOTS)
    const seeds = Array.from({ length: LOTS }, (_, i) => detection(i))
    const cids = [...(await walkLineage(fx.source, opts, seeds, 'backward', 20, analysis.links))].sort()
    expect(cids).toHaveLength(2 * LOTS + 1)
    analysis.linkLineage()
    for (const domain of ['upstream_history', 'materials'] as const) {
      for await (const batch of streamDomain(fx.source, domain, cids, opts)) analysis.add(domain, batch)
    }
    const result = analysis.attribution.analyse()
    expect(result.kpi.lot_count).toBe(LOTS)
    expect(result.kpi.total_input).toBe(LOTS * 1000)
    expect(result.suspects.machine[0].key).toEqual(['焊接_DB', 'DB-BAD', 'e1'])
    expect(result.suspects.machine[0].detection_lot_count).toBe(8)
    const plating = result.suspects.machine.find((s) => s.key[1] === 'SB-01')!
    expect(plating.detection_lot_count).toBe(LOTS)
    expect(plating.score).toBe(0)
    // The test station itself is not upstream of itself.
    expect(result.suspects.machine.some((s) => s.key[0] === '測試')).toBe(false)
    expect(result.suspects.material[0].key).toEqual(['LEADFRAME', 'ML-BAD'])
    expect(result.suspects.wafer_root).toEqual([
      expect.objectContaining({ key: ['W2601-0001'], detection_lot_count: LOTS }),
    ])
    expect(result.suspects.detection_machine.map((s) => s.key[0]).sort()).toEqual(['TT-00', 'TT-01'])
  })
})
