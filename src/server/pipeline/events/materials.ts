/** materials: LOTMATERIALSHISTORY ⟕ CONTAINER, grouped by CID (the MSD aggregator relies on it), then time. */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'

export const materialsQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT m.CONTAINERID, c.CONTAINERNAME, m.MATERIALPARTNAME, m.MATERIALLOTNAME, m.QTYCONSUMED,
           m.WORKCENTERNAME, m.SPECNAME, m.EQUIPMENTNAME, m.TXNDATE
    FROM DW_MES_LOTMATERIALSHISTORY m
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = m.CONTAINERID
    WHERE m.CONTAINERID ${idsIn(cids)}
    ORDER BY m.CONTAINERID, m.TXNDATE NULLS LAST, m.MATERIALPARTNAME NULLS LAST, m.MATERIALLOTNAME NULLS LAST,
             m.WORKCENTERNAME NULLS LAST, m.EQUIPMENTNAME NULLS LAST, m.QTYCONSUMED NULLS LAST`,
  mapRow: (r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], isoTimestamp(r[8])],
}
