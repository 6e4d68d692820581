/** A small plant for the route tests: a wafer lot split into two GA lots, one merged into an assembly lot. */
import { fixtureCid as cid, type FixtureRows } from '../../helpers/fixture-db.ts'

export const WAFER = cid(1)
export const LOT_A = cid(2)
export const LOT_B = cid(3)
export const ASSY = cid(4)

const lot = (id: string, name: string, extra: Record<string, string | number | null> = {}) => ({
  CONTAINERID: id,
  CONTAINERNAME: name,
  OBJECTTYPE: 'LOT',
  PJ_TYPE: 'DFN1006-2',
  PJ_BOP: 'BOP-1',
  ...extra,
})

const track = (id: string, wc: string, eq: string, day: number) => ({
  CONTAINERID: id,
  WORKCENTERNAME: wc,
  EQUIPMENTID: `eq-${eq}`,
  EQUIPMENTNAME: eq,
  SPECNAME: `${wc}-SPEC`,
  TRACKINTIMESTAMP: `2026-01-0${day}T08:00:00`,
  TRACKOUTTIMESTAMP: `2026-01-0${day}T09:30:00`,
  TRACKINQTY: 1000,
  TRACKOUTQTY: 990,
})

export const ROWS: FixtureRows = {
  DW_MES_CONTAINER: [
    lot(WAFER, 'W1', { FIRSTNAME: 'W1' }),
    lot(LOT_A, 'GA1-A01', { FIRSTNAME: 'W1', MFGORDERNAME: 'GA1', SPLITFROMID: WAFER }),
    lot(LOT_B, 'GA1-A02', { FIRSTNAME: 'W1', MFGORDERNAME: 'GA1', SPLITFROMID: LOT_A }),
    lot(ASSY, 'ASSY-1', { FIRSTNAME: 'W1', MFGORDERNAME: 'GA9' }),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [{ CONTAINERID: LOT_B, CONTAINERNAME: 'GA1-A02', LOTID: ASSY, FINISHEDNAME: 'SN1' }],
  DW_MES_LOTWIPHISTORY: [
    track(LOT_A, '切割', 'DS-01', 1),
    track(LOT_A, '焊接_DB', 'DB-01', 2),
    track(LOT_B, '切割', 'DS-02', 1),
    track(LOT_B, 'TMTT', 'TM-01', 3),
    track(ASSY, 'TMTT', 'TM-02', 4),
  ],
  DW_MES_LOTMATERIALSHISTORY: [
    {
      CONTAINERID: LOT_A,
      MATERIALPARTNAME: 'EMC',
      MATERIALLOTNAME: 'EMC-1',
      QTYCONSUMED: 3,
      WORKCENTERNAME: '成型',
      SPECNAME: 'MOLD',
      EQUIPMENTNAME: 'MD-01',
      TXNDATE: '2026-01-02T10:00:00',
    },
  ],
  DW_MES_LOTREJECTHISTORY: [
    {
      CONTAINERID: LOT_B,
      WORKCENTERNAME: 'TMTT',
      SPECNAME: 'TEST',
      LOSSREASONNAME: 'OPEN',
      EQUIPMENTNAME: 'TM-01',
      REJECTQTY: 5,
      STANDBYQTY: 0,
      QTYTOPROCESS: 0,
      INPROCESSQTY: 0,
      PROCESSEDQTY: 0,
      DEFECTQTY: 2,
      TXNDATE: '2026-01-03T09:00:00',
    },
  ],
  DW_MES_HOLDRELEASEHISTORY: [
    {
      CONTAINERID: LOT_A,
      WORKCENTERNAME: '切割',
      HOLDTXNDATE: '2026-01-01T12:00:00',
      HOLDEMP: 'E1',
      HOLDREASONNAME: 'QC',
      RELEASETXNDATE: '2026-01-01T14:00:00',
      RELEASEEMP: 'E2',
    },
  ],
  DW_MES_JOB: [
    {
      JOBID: 'J1',
      RESOURCEID: 'eq-DS-01',
      RESOURCENAME: 'DS-01',
      JOBSTATUS: 'DONE',
      JOBMODELNAME: 'PM',
      CREATEDATE: '2026-01-01T07:00:00',
      COMPLETEDATE: '2026-01-01T07:30:00',
      CONTAINERIDS: `${LOT_A},${LOT_B}`,
      CONTAINERNAMES: 'GA1-A01,GA1-A02',
    },
  ],
}

/** `n` lots with `perLot` history rows each (for multi-batch streams and aborts); CIDs start at 0x100. */
export function bulkRows(n: number, perLot: number): { rows: FixtureRows; cids: string[] } {
  const cids = Array.from({ length: n }, (_, i) => cid(0x100 + i))
  return {
    cids,
    rows: {
      DW_MES_CONTAINER: cids.map((id, i) =>
        lot(id, `GA2-${String(i).padStart(4, '0')}`, { MFGORDERNAME: 'GA2', FIRSTNAME: 'W2' }),
      ),
      DW_MES_LOTWIPHISTORY: cids.flatMap((id) =>
        Array.from({ length: perLot }, (_, k) => ({
          ...track(id, '切割', `DS-${k}`, 1 + (k % 9)),
          TRACKINTIMESTAMP: `2026-02-01T${String(k % 24).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}:00`,
        })),
      ),
    },
  }
}
