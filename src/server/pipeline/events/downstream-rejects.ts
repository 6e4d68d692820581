/**
 * downstream_rejects (MSD forward): LOTREJECTHISTORY with WORKCENTER_GROUP, LOSSREASONNAME defaulting to
 * `(未填寫)` and REJECT_TOTAL_QTY = the five quantities plus DEFECTQTY; grouped by CID, then time.
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'
import { lossReason, sumQty, workcenterGroupName } from './row-values.ts'

export const downstreamRejectsQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT r.CONTAINERID, r.WORKCENTERNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME,
           r.REJECTQTY, r.STANDBYQTY, r.QTYTOPROCESS, r.INPROCESSQTY, r.PROCESSEDQTY, r.DEFECTQTY, r.TXNDATE
    FROM DW_MES_LOTREJECTHISTORY r
    WHERE r.CONTAINERID ${idsIn(cids)}
    ORDER BY r.CONTAINERID, r.TXNDATE NULLS LAST, r.WORKCENTERNAME NULLS LAST, r.LOSSREASONNAME NULLS LAST,
             r.EQUIPMENTNAME NULLS LAST, r.REJECTQTY NULLS LAST, r.DEFECTQTY NULLS LAST`,
  mapRow: (r) => [
    r[0], r[1], workcenterGroupName(r[1]), lossReason(r[2]), r[3], sumQty([r[4], r[5], r[6], r[7], r[8], r[9]]), isoTimestamp(r[10]),
  ],
}
