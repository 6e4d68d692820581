/**
 * upstream_history (MSD): LOTWIPHISTORY ⟕ CONTAINER (for CONTAINERNAME), latest track-in per (CID, WORKCENTERNAME, EQUIPMENTNAME), with
 * WORKCENTER_GROUP; grouped by CID (the MSD aggregator relies on it), then track-in.
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'
import { workcenterGroupName } from './row-values.ts'

export const upstreamHistoryQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT u.CONTAINERID, c.CONTAINERNAME, u.WORKCENTERNAME, u.EQUIPMENTID, u.EQUIPMENTNAME, u.SPECNAME,
           u.TRACKINTIMESTAMP, u.TRACKINQTY
    FROM (
      SELECT w.CONTAINERID, w.WORKCENTERNAME, w.EQUIPMENTID, w.EQUIPMENTNAME, w.SPECNAME, w.TRACKINTIMESTAMP, w.TRACKINQTY,
             ROW_NUMBER() OVER (
               PARTITION BY w.CONTAINERID, w.WORKCENTERNAME, w.EQUIPMENTNAME
               ORDER BY w.TRACKINTIMESTAMP DESC NULLS LAST, w.TRACKOUTTIMESTAMP DESC NULLS LAST,
                        w.EQUIPMENTID NULLS LAST, w.SPECNAME NULLS LAST, w.TRACKINQTY NULLS LAST
             ) AS RN
      FROM DW_MES_LOTWIPHISTORY w
      WHERE w.CONTAINERID ${idsIn(cids)}
    ) u
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = u.CONTAINERID
    WHERE u.RN = 1
    ORDER BY u.CONTAINERID, u.TRACKINTIMESTAMP NULLS LAST, u.WORKCENTERNAME NULLS LAST, u.EQUIPMENTNAME NULLS LAST`,
  mapRow: (r) => [r[0], r[1], r[2], workcenterGroupName(r[2]), r[3], r[4], r[5], isoTimestamp(r[6]), r[7]],
}
