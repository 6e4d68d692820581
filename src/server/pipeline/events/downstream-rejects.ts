/**
 * downstream_rejects (MSD forward): LOTREJECTHISTORY ⟕ CONTAINER (for CONTAINERNAME) with WORKCENTER_GROUP, LOSSREASONNAME defaulting to
 * `(未填寫)` and REJECT_TOTAL_QTY = the five quantities plus DEFECTQTY; grouped by CID, then time.
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'
import { lossReason, sumQty, workcenterGroupName } from './row-values.ts'

export const downstreamRejectsQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT r.CONTAINERID, c.CONTAINERNAME, r.WORKCENTERNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME,
           r.REJECTQTY, r.STANDBYQTY, r.QTYTOPROCESS, r.INPROCESSQTY, r.PROCESSEDQTY, r.DEFECTQTY, r.TXNDATE
    FROM DW_MES_LOTREJECTHISTORY r
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = r.CONTAINERID
    WHERE r.CONTAINERID ${idsIn(cids)}
    ORDER BY r.CONTAINERID, r.TXNDATE NULLS LAST, r.WORKCENTERNAME NULLS LAST, r.LOSSREASONNAME NULLS LAST,
             r.EQUIPMENTNAME NULLS LAST, r.REJECTQTY NULLS LAST, r.DEFECTQTY NULLS LAST`,
  mapRow: (r) => [
    r[0],
    r[1],
    r[2],
    workcenterGroupName(r[2]),
    lossReason(r[3]),
    r[4],
    sumQty([r[5], r[6], r[7], r[8], r[9], r[10]]),
    isoTimestamp(r[11]),
  ],
}
