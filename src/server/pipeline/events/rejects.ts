/**
 * rejects: LOTREJECTHISTORY ⟕ CONTAINER in the old system's row shape: WORKCENTER_GROUP and its order
 * (WORKCENTERSEQUENCE_GROUP, 999 for none), the product columns of the container, LOSSREASONNAME defaulting
 * to `(未填寫)`, the five quantities as REJECT_QTY … PROCESSED_QTY, REJECT_TOTAL_QTY (their sum),
 * DEFECT_QTY = DEFECTQTY, and the transaction time as TXN_TIME, TXNDATE and its day TXN_DAY.
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'
import { lossReason, sumQty, workcenterGroupName, workcenterSequence } from './row-values.ts'

export const rejectsQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT r.CONTAINERID, c.CONTAINERNAME, r.WORKCENTERNAME, c.PRODUCTLINENAME, c.PJ_FUNCTION, c.PJ_TYPE, c.PRODUCTNAME,
           r.SPECNAME, r.LOSSREASONNAME, r.EQUIPMENTNAME, r.REJECTCOMMENT,
           r.REJECTQTY, r.STANDBYQTY, r.QTYTOPROCESS, r.INPROCESSQTY, r.PROCESSEDQTY, r.DEFECTQTY, r.TXNDATE
    FROM DW_MES_LOTREJECTHISTORY r
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = r.CONTAINERID
    WHERE r.CONTAINERID ${idsIn(cids)}
    ORDER BY r.CONTAINERID, r.TXNDATE NULLS LAST, r.WORKCENTERNAME NULLS LAST, r.LOSSREASONNAME NULLS LAST,
             r.EQUIPMENTNAME NULLS LAST, r.REJECTQTY NULLS LAST, r.DEFECTQTY NULLS LAST`,
  mapRow: (r) => {
    const time = isoTimestamp(r[17])
    return [
      r[0],
      r[1],
      r[2],
      workcenterGroupName(r[2]),
      workcenterSequence(r[2]),
      r[3],
      r[4],
      r[5],
      r[6],
      r[7],
      lossReason(r[8]),
      r[9],
      r[10],
      r[11],
      r[12],
      r[13],
      r[14],
      r[15],
      sumQty([r[11], r[12], r[13], r[14], r[15]]),
      r[16],
      time,
      time,
      time ? time.slice(0, 10) : null,
    ]
  },
}
