/**
 * A small plant for job tests: `lots` GA lots of one work order (GA24010001, wafer lot WL-A), each with
 * `historyPerLot` history rows, two material rows and one reject; lot 1's rejects carry CSV-hostile text.
 */
import { fixtureCid, type FixtureRow, type FixtureRows } from '../../helpers/fixture-db.ts'

/** The work order every fixture lot belongs to. */
export const FIXTURE_WORK_ORDER = 'GA24010001'

/** Reject comments of lot 1 that the CSV export must quote or guard. */
export const CSV_HOSTILE_COMMENTS = [
  '=SUM(A1:A9)',
  '+1',
  '-2',
  '@cmd',
  '\tTab',
  '\rCR',
  'a,b',
  'say "hi"',
  'line1\nline2',
  '測試 OK',
] as const

const WORKCENTERS = ['切割', '焊接_DB', '焊接_WB', '成型', '電鍍', '移印', '測試'] as const

function ts(day: number, minute: number): string {
  const d = new Date(Date.UTC(2024, 0, 1 + day, 0, minute))
  return d.toISOString().slice(0, 19)
}

/** The rows of the fixture plant. */
export function jobFixtureRows(lots: number, historyPerLot: number): FixtureRows {
  const containers: FixtureRow[] = []
  const history: FixtureRow[] = []
  const materials: FixtureRow[] = []
  const rejects: FixtureRow[] = []
  for (let i = 1; i <= lots; i++) {
    const cid = fixtureCid(i)
    containers.push({
      CONTAINERID: cid,
      CONTAINERNAME: `GA2401-${String(i).padStart(5, '0')}`,
      MFGORDERNAME: FIXTURE_WORK_ORDER,
      FIRSTNAME: 'WL-A',
      OBJECTTYPE: 'LOT',
      QTY: 1000,
    })
    for (let k = 0; k < historyPerLot; k++) {
      history.push({
        CONTAINERID: cid,
        WORKCENTERNAME: WORKCENTERS[k % WORKCENTERS.length],
        EQUIPMENTID: `EQ${k % 9}`,
        EQUIPMENTNAME: `Machine ${k % 9}`,
        SPECNAME: `SPEC-${k}`,
        TRACKINTIMESTAMP: ts(k, i % 1440),
        TRACKOUTTIMESTAMP: ts(k, (i % 1440) + 30),
        TRACKINQTY: 1000,
        TRACKOUTQTY: 990,
      })
    }
    for (let m = 0; m < 2; m++) {
      materials.push({
        CONTAINERID: cid,
        MATERIALPARTNAME: `PART-${m}`,
        MATERIALLOTNAME: `ML-${i}-${m}`,
        QTYCONSUMED: 5,
        WORKCENTERNAME: '焊接_DB',
        TXNDATE: ts(1, m),
      })
    }
    const comments = i === 1 ? CSV_HOSTILE_COMMENTS : ['ok']
    comments.forEach((comment, n) =>
      rejects.push({
        CONTAINERID: cid,
        WORKCENTERNAME: '測試',
        LOSSREASONNAME: 'SHORT',
        EQUIPMENTNAME: 'Tester 1',
        REJECTCOMMENT: comment,
        REJECTQTY: n + 1,
        STANDBYQTY: i === 1 ? -(n + 1) : 0,
        TXNDATE: ts(3, n),
      }),
    )
  }
  return {
    DW_MES_CONTAINER: containers,
    DW_MES_LOTWIPHISTORY: history,
    DW_MES_LOTMATERIALSHISTORY: materials,
    DW_MES_LOTREJECTHISTORY: rejects,
  }
}

/** CIDs of the fixture lots, in lot order. */
export function fixtureCids(lots: number): string[] {
  return Array.from({ length: lots }, (_, i) => fixtureCid(i + 1))
}
