/**
 * history: LOTWIPHISTORY ⟕ CONTAINER. One row per (CID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP) keeping the
 * latest track-out; rows without equipment or track-in dropped; ordered by track-in within each CID batch.
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'

export const historyQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT h.CONTAINERID, c.CONTAINERNAME, h.WORKCENTERNAME, h.EQUIPMENTID, h.EQUIPMENTNAME, h.SPECNAME,
           h.TRACKINTIMESTAMP, h.TRACKOUTTIMESTAMP, h.TRACKINQTY, h.TRACKOUTQTY, h.FINISHEDRUNCARD, h.PJ_WORKORDER,
           c.PJ_TYPE, c.PJ_BOP, c.FIRSTNAME
    FROM (
      SELECT w.CONTAINERID, w.WORKCENTERNAME, w.EQUIPMENTID, w.EQUIPMENTNAME, w.SPECNAME, w.TRACKINTIMESTAMP,
             w.TRACKOUTTIMESTAMP, w.TRACKINQTY, w.TRACKOUTQTY, w.FINISHEDRUNCARD, w.PJ_WORKORDER,
             ROW_NUMBER() OVER (
               PARTITION BY w.CONTAINERID, w.EQUIPMENTID, w.SPECNAME, w.TRACKINTIMESTAMP
               ORDER BY w.TRACKOUTTIMESTAMP DESC NULLS LAST, w.TRACKOUTQTY DESC NULLS LAST,
                        w.TRACKINQTY DESC NULLS LAST, w.WORKCENTERNAME NULLS LAST, w.EQUIPMENTNAME NULLS LAST,
                        w.FINISHEDRUNCARD NULLS LAST, w.PJ_WORKORDER NULLS LAST
             ) AS RN
      FROM DW_MES_LOTWIPHISTORY w
      WHERE w.CONTAINERID ${idsIn(cids)} AND w.EQUIPMENTID IS NOT NULL AND w.TRACKINTIMESTAMP IS NOT NULL
    ) h
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = h.CONTAINERID
    WHERE h.RN = 1
    ORDER BY h.TRACKINTIMESTAMP, h.CONTAINERID, h.EQUIPMENTID, h.SPECNAME NULLS LAST`,
  mapRow: (r) => [
    r[0],
    r[1],
    r[2],
    r[3],
    r[4],
    r[5],
    isoTimestamp(r[6]),
    isoTimestamp(r[7]),
    r[8],
    r[9],
    r[10],
    r[11],
    r[12],
    r[13],
    r[14],
  ],
}
