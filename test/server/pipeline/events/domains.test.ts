import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS, type Domain } from '../../../../src/shared/domains.ts'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { streamDomain } from '../../../../src/server/pipeline/events.ts'
import { fixtureCid } from '../../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../../helpers/fixture-source.ts'

const [X, Y, Z] = [1, 2, 3].map(fixtureCid)

/** Local ISO time `hours` ago, the way plant timestamps are stored. */
function hoursAgo(hours: number): string {
  const d = new Date(Date.now() - hours * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

const wip = (
  cid: string,
  eq: string | null,
  spec: string,
  trackIn: string | null,
  trackOut: string | null,
  extra = {},
) => ({
  CONTAINERID: cid,
  WORKCENTERNAME: 'TMTT-1',
  EQUIPMENTID: eq,
  EQUIPMENTNAME: eq ? `${eq}-N` : null,
  SPECNAME: spec,
  TRACKINTIMESTAMP: trackIn,
  TRACKOUTTIMESTAMP: trackOut,
  TRACKINQTY: 100,
  TRACKOUTQTY: 99,
  FINISHEDRUNCARD: 'RC',
  PJ_WORKORDER: 'GA1',
  ...extra,
})

const OPEN_HOLD = hoursAgo(2)

const ROWS = {
  DW_MES_CONTAINER: [
    {
      CONTAINERID: X,
      CONTAINERNAME: 'LOT-X',
      FIRSTNAME: 'WAF-X',
      OBJECTTYPE: 'LOT',
      PJ_TYPE: 'T1',
      PJ_BOP: 'BOP1',
      PRODUCTLINENAME: 'SOT',
      PRODUCTNAME: 'MMBD4148',
      PJ_FUNCTION: 'SWITCHING',
    },
    { CONTAINERID: Y, CONTAINERNAME: 'LOT-Y', FIRSTNAME: 'WAF-Y', OBJECTTYPE: 'LOT', PJ_TYPE: 'T2', PJ_BOP: 'BOP2' },
  ],
  DW_MES_LOTWIPHISTORY: [
    wip(X, 'EQ1', 'S1', '2024-01-01T08:00:00', '2024-01-01T09:00:00', { TRACKOUTQTY: 1 }),
    wip(X, 'EQ1', 'S1', '2024-01-01T08:00:00', '2024-01-01T10:00:00', { TRACKOUTQTY: 2 }),
    wip(X, 'EQ1', 'S1', '2024-01-01T08:00:00', null, { TRACKOUTQTY: 3 }),
    wip(X, null, 'S1', '2024-01-01T11:00:00', '2024-01-01T12:00:00'),
    wip(X, 'EQ3', 'S3', null, '2024-01-01T12:00:00'),
    wip(X, 'EQ2', 'S2', '2024-01-01 07:00:00', '2024-01-01 07:30:00', { WORKCENTERNAME: '切割-A' }),
    wip(Y, 'EQ9', 'S9', '2024-01-01T08:00:00', '2024-01-01T08:30:00'),
    wip(Z, 'EQ9', 'S9', '2024-01-01T09:00:00', '2024-01-01T09:30:00'),
  ],
  DW_MES_LOTMATERIALSHISTORY: [
    {
      CONTAINERID: X,
      MATERIALPARTNAME: 'WIRE',
      MATERIALLOTNAME: 'W-1',
      QTYCONSUMED: 1.5,
      WORKCENTERNAME: '焊接_WB',
      SPECNAME: 'S',
      EQUIPMENTNAME: 'WB1',
      TXNDATE: '2024-01-02T00:00:00',
    },
    {
      CONTAINERID: X,
      MATERIALPARTNAME: 'GLUE',
      MATERIALLOTNAME: 'G-1',
      QTYCONSUMED: 2,
      WORKCENTERNAME: '焊接_DB',
      SPECNAME: 'S',
      EQUIPMENTNAME: 'DB1',
      TXNDATE: '2024-01-01T00:00:00',
    },
  ],
  DW_MES_LOTREJECTHISTORY: [
    {
      CONTAINERID: X,
      WORKCENTERNAME: 'TMTT-1',
      SPECNAME: 'S',
      LOSSREASONNAME: null,
      EQUIPMENTNAME: 'T1',
      REJECTCOMMENT: 'c',
      REJECTQTY: 1,
      STANDBYQTY: 2,
      QTYTOPROCESS: 3,
      INPROCESSQTY: 4,
      PROCESSEDQTY: 5,
      DEFECTQTY: 6,
      TXNDATE: '2024-01-03T00:00:00',
    },
    {
      CONTAINERID: X,
      WORKCENTERNAME: '元件切割-1',
      LOSSREASONNAME: 'CRACK',
      EQUIPMENTNAME: 'SAW',
      REJECTQTY: 7,
      TXNDATE: '2024-01-02T00:00:00',
    },
    {
      CONTAINERID: X,
      WORKCENTERNAME: 'OTHER',
      LOSSREASONNAME: 'X',
      EQUIPMENTNAME: 'O',
      DEFECTQTY: 2,
      TXNDATE: '2024-01-04T00:00:00',
    },
  ],
  DW_MES_HOLDRELEASEHISTORY: [
    {
      CONTAINERID: X,
      WORKCENTERNAME: 'TMTT-1',
      HOLDTXNDATE: '2024-01-01T00:00:00',
      HOLDEMP: 'E1',
      HOLDEMPDEPTNAME: 'QA',
      HOLDREASONNAME: 'CHK',
      HOLDCOMMENTS: 'h',
      RELEASETXNDATE: '2024-01-01T12:30:00',
      RELEASEEMP: 'E2',
      RELEASECOMMENTS: 'ok',
      NCRID: 'N1',
    },
    { CONTAINERID: X, WORKCENTERNAME: 'TMTT-1', HOLDTXNDATE: OPEN_HOLD, HOLDEMP: 'E1', HOLDREASONNAME: 'OPEN' },
  ],
  DW_MES_JOB: [
    {
      JOBID: 'J1',
      RESOURCEID: 'R1',
      RESOURCENAME: 'EQ1',
      JOBSTATUS: 'DONE',
      JOBMODELNAME: 'PM',
      JOBORDERNAME: 'JO1',
      CREATEDATE: '2024-01-01T00:00:00',
      COMPLETEDATE: '2024-01-01T01:00:00',
      CAUSECODENAME: 'C',
      REPAIRCODENAME: 'R',
      SYMPTOMCODENAME: 'S',
      CONTAINERIDS: `${X},${Y},${Z}`,
      CONTAINERNAMES: 'LOT-X,LOT-Y,LOT-Z',
    },
    {
      JOBID: 'J2',
      RESOURCEID: 'R2',
      RESOURCENAME: 'EQ2',
      CREATEDATE: '2024-01-02T00:00:00',
      CONTAINERIDS: Z,
      CONTAINERNAMES: 'LOT-Z',
    },
    {
      JOBID: 'J3',
      RESOURCEID: 'R3',
      RESOURCENAME: 'EQ3',
      CREATEDATE: '2024-01-03T00:00:00',
      CONTAINERIDS: `${Z}, ${X}`,
      CONTAINERNAMES: 'LOT-Z, LOT-X',
    },
    {
      JOBID: 'J4',
      RESOURCEID: 'R4',
      RESOURCENAME: 'EQ4',
      CREATEDATE: '2024-01-04T00:00:00',
      CONTAINERIDS: `${X}0,0${Y}`,
      CONTAINERNAMES: 'NOPE,NOPE',
    },
  ],
}

let fx: FixtureSource

async function rows(domain: Domain, cids: string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = []
  for await (const batch of streamDomain(fx.source, domain, cids, { config: fx.config })) {
    for (const row of batch) {
      expect(row).toHaveLength(DOMAIN_COLUMNS[domain].length)
      out.push(Object.fromEntries(DOMAIN_COLUMNS[domain].map((c, i) => [c, row[i]])))
    }
  }
  return out
}

describe.each(await fixtureDialects())('on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, ROWS)
  })
  afterAll(() => fx.close())

  describe('history', () => {
    it('keeps one row per (CID, equipment, spec, track-in) with the latest track-out, ordered by track-in', async () => {
      const r = await rows('history', [X, Y])
      expect(r).toEqual([
        {
          CONTAINERID: X,
          CONTAINERNAME: 'LOT-X',
          WORKCENTERNAME: '切割-A',
          EQUIPMENTID: 'EQ2',
          EQUIPMENTNAME: 'EQ2-N',
          SPECNAME: 'S2',
          TRACKINTIMESTAMP: '2024-01-01T07:00:00',
          TRACKOUTTIMESTAMP: '2024-01-01T07:30:00',
          TRACKINQTY: 100,
          TRACKOUTQTY: 99,
          FINISHEDRUNCARD: 'RC',
          PJ_WORKORDER: 'GA1',
          PJ_TYPE: 'T1',
          PJ_BOP: 'BOP1',
          WAFER_LOT_ID: 'WAF-X',
        },
        expect.objectContaining({
          CONTAINERID: X,
          EQUIPMENTID: 'EQ1',
          TRACKINTIMESTAMP: '2024-01-01T08:00:00',
          TRACKOUTTIMESTAMP: '2024-01-01T10:00:00',
          TRACKOUTQTY: 2,
        }),
        expect.objectContaining({
          CONTAINERID: Y,
          EQUIPMENTID: 'EQ9',
          TRACKINTIMESTAMP: '2024-01-01T08:00:00',
          WAFER_LOT_ID: 'WAF-Y',
          PJ_TYPE: 'T2',
        }),
      ])
    })

    it('drops rows without equipment or track-in', async () => {
      const r = await rows('history', [X])
      expect(r.map((x) => x.EQUIPMENTID)).toEqual(['EQ2', 'EQ1'])
    })
  })

  describe('materials', () => {
    it('returns the material columns per CID in time order', async () => {
      expect(await rows('materials', [X])).toEqual([
        {
          CONTAINERID: X,
          CONTAINERNAME: 'LOT-X',
          MATERIALPARTNAME: 'GLUE',
          MATERIALLOTNAME: 'G-1',
          QTYCONSUMED: 2,
          WORKCENTERNAME: '焊接_DB',
          SPECNAME: 'S',
          EQUIPMENTNAME: 'DB1',
          TXNDATE: '2024-01-01T00:00:00',
        },
        {
          CONTAINERID: X,
          CONTAINERNAME: 'LOT-X',
          MATERIALPARTNAME: 'WIRE',
          MATERIALLOTNAME: 'W-1',
          QTYCONSUMED: 1.5,
          WORKCENTERNAME: '焊接_WB',
          SPECNAME: 'S',
          EQUIPMENTNAME: 'WB1',
          TXNDATE: '2024-01-02T00:00:00',
        },
      ])
    })
  })

  describe('rejects', () => {
    it('adds the workcenter group, the default loss reason and the five-quantity total', async () => {
      const r = await rows('rejects', [X])
      expect(r[1]).toMatchObject({
        WORKCENTER_GROUP: '測試',
        LOSSREASONNAME: '(未填寫)',
        REJECT_TOTAL_QTY: 15,
        DEFECT_QTY: 6,
      })
      expect(r[2]).toMatchObject({ WORKCENTER_GROUP: null, REJECT_TOTAL_QTY: 0, DEFECT_QTY: 2 })
    })

    it('carries the old system’s columns: lot name, product, group order, quantities by their old names, time and day', async () => {
      const r = await rows('rejects', [X])
      expect(r[0]).toEqual({
        CONTAINERID: X,
        CONTAINERNAME: 'LOT-X',
        WORKCENTERNAME: '元件切割-1',
        WORKCENTER_GROUP: '元件切割',
        WORKCENTERSEQUENCE_GROUP: 10,
        PRODUCTLINENAME: 'SOT',
        PJ_FUNCTION: 'SWITCHING',
        PJ_TYPE: 'T1',
        PRODUCTNAME: 'MMBD4148',
        SPECNAME: null,
        LOSSREASONNAME: 'CRACK',
        EQUIPMENTNAME: 'SAW',
        REJECTCOMMENT: null,
        REJECT_QTY: 7,
        STANDBY_QTY: null,
        QTYTOPROCESS_QTY: null,
        INPROCESS_QTY: null,
        PROCESSED_QTY: null,
        REJECT_TOTAL_QTY: 7,
        DEFECT_QTY: null,
        TXN_TIME: '2024-01-02T00:00:00',
        TXNDATE: '2024-01-02T00:00:00',
        TXN_DAY: '2024-01-02',
      })
      expect(r[1]).toMatchObject({
        SPECNAME: 'S',
        WORKCENTERSEQUENCE_GROUP: 11,
        REJECT_QTY: 1,
        STANDBY_QTY: 2,
        QTYTOPROCESS_QTY: 3,
        INPROCESS_QTY: 4,
        PROCESSED_QTY: 5,
      })
      expect(r[2]).toMatchObject({ WORKCENTERSEQUENCE_GROUP: 999, TXN_DAY: '2024-01-04' })
    })
  })

  describe('downstream_rejects', () => {
    it('counts DEFECTQTY in the total and names the lot', async () => {
      const lot = { CONTAINERID: X, CONTAINERNAME: 'LOT-X' }
      expect(await rows('downstream_rejects', [X])).toEqual([
        {
          ...lot,
          WORKCENTERNAME: '元件切割-1',
          WORKCENTER_GROUP: '元件切割',
          LOSSREASONNAME: 'CRACK',
          EQUIPMENTNAME: 'SAW',
          REJECT_TOTAL_QTY: 7,
          TXNDATE: '2024-01-02T00:00:00',
        },
        {
          ...lot,
          WORKCENTERNAME: 'TMTT-1',
          WORKCENTER_GROUP: '測試',
          LOSSREASONNAME: '(未填寫)',
          EQUIPMENTNAME: 'T1',
          REJECT_TOTAL_QTY: 21,
          TXNDATE: '2024-01-03T00:00:00',
        },
        {
          ...lot,
          WORKCENTERNAME: 'OTHER',
          WORKCENTER_GROUP: null,
          LOSSREASONNAME: 'X',
          EQUIPMENTNAME: 'O',
          REJECT_TOTAL_QTY: 2,
          TXNDATE: '2024-01-04T00:00:00',
        },
      ])
    })
  })

  describe('holds', () => {
    it('marks released holds with their duration and open holds with hours until now', async () => {
      const r = await rows('holds', [X])
      expect(r[0]).toEqual({
        CONTAINERID: X,
        CONTAINERNAME: 'LOT-X',
        WORKCENTERNAME: 'TMTT-1',
        HOLDTXNDATE: '2024-01-01T00:00:00',
        HOLDEMP: 'E1',
        HOLDEMPDEPTNAME: 'QA',
        HOLDREASONNAME: 'CHK',
        HOLDCOMMENTS: 'h',
        RELEASETXNDATE: '2024-01-01T12:30:00',
        RELEASEEMP: 'E2',
        RELEASECOMMENTS: 'ok',
        NCRID: 'N1',
        HOLD_STATUS: 'RELEASED',
        HOLD_HOURS: 12.5,
      })
      expect(r[1]).toMatchObject({ HOLDTXNDATE: OPEN_HOLD, RELEASETXNDATE: null, HOLD_STATUS: 'HOLD' })
      expect(r[1].HOLD_HOURS).toBeGreaterThanOrEqual(2)
      expect(r[1].HOLD_HOURS).toBeLessThan(2.5)
    })
  })

  describe('jobs', () => {
    it('returns one row per (job, listed CID) with the name at the same position, in job order', async () => {
      const r = await rows('jobs', [X, Y])
      expect(r.map((j) => [j.CONTAINERID, j.JOBID, j.CONTAINERNAME])).toEqual([
        [X, 'J1', 'LOT-X'],
        [Y, 'J1', 'LOT-Y'],
        [X, 'J3', 'LOT-X'],
      ])
      expect(r[0]).toEqual({
        CONTAINERID: X,
        CONTAINERNAME: 'LOT-X',
        JOBID: 'J1',
        RESOURCEID: 'R1',
        RESOURCENAME: 'EQ1',
        JOBSTATUS: 'DONE',
        JOBMODELNAME: 'PM',
        JOBORDERNAME: 'JO1',
        CREATEDATE: '2024-01-01T00:00:00',
        COMPLETEDATE: '2024-01-01T01:00:00',
        CAUSECODENAME: 'C',
        REPAIRCODENAME: 'R',
        SYMPTOMCODENAME: 'S',
        CONTAINERIDS: `${X},${Y},${Z}`,
        CONTAINERNAMES: 'LOT-X,LOT-Y,LOT-Z',
      })
    })

    it('matches whole list entries only, at the start, middle and end of the list, blanks or not', async () => {
      const r = await rows('jobs', [Z])
      expect(r.map((j) => [j.JOBID, j.CONTAINERNAME])).toEqual([
        ['J1', 'LOT-Z'],
        ['J2', 'LOT-Z'],
        ['J3', 'LOT-Z'],
      ])
    })
  })

  describe('upstream_history', () => {
    it('keeps the latest track-in per (CID, workcenter, equipment) with its group and the lot name', async () => {
      const rowsOfX = await rows('upstream_history', [X])
      expect(rowsOfX.every((row) => row.CONTAINERNAME === 'LOT-X')).toBe(true)
      expect(rowsOfX.map(({ CONTAINERNAME: _name, ...rest }) => rest)).toEqual([
        {
          CONTAINERID: X,
          WORKCENTERNAME: '切割-A',
          WORKCENTER_GROUP: '切割',
          EQUIPMENTID: 'EQ2',
          EQUIPMENTNAME: 'EQ2-N',
          SPECNAME: 'S2',
          TRACKINTIMESTAMP: '2024-01-01T07:00:00',
          TRACKINQTY: 100,
        },
        {
          CONTAINERID: X,
          WORKCENTERNAME: 'TMTT-1',
          WORKCENTER_GROUP: '測試',
          EQUIPMENTID: 'EQ1',
          EQUIPMENTNAME: 'EQ1-N',
          SPECNAME: 'S1',
          TRACKINTIMESTAMP: '2024-01-01T08:00:00',
          TRACKINQTY: 100,
        },
        {
          CONTAINERID: X,
          WORKCENTERNAME: 'TMTT-1',
          WORKCENTER_GROUP: '測試',
          EQUIPMENTID: null,
          EQUIPMENTNAME: null,
          SPECNAME: 'S1',
          TRACKINTIMESTAMP: '2024-01-01T11:00:00',
          TRACKINQTY: 100,
        },
        {
          CONTAINERID: X,
          WORKCENTERNAME: 'TMTT-1',
          WORKCENTER_GROUP: '測試',
          EQUIPMENTID: 'EQ3',
          EQUIPMENTNAME: 'EQ3-N',
          SPECNAME: 'S3',
          TRACKINTIMESTAMP: null,
          TRACKINQTY: 100,
        },
      ])
    })
  })
})
