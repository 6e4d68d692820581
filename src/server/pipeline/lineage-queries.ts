/** The statements lineage runs, one batch of ids or names each (bound lists, never inlined). */
import { idsIn, raw, sql, type SqlQuery } from '../source/sql.ts'
import { text } from './batching.ts'

/** The DW_MES_CONTAINER columns lineage reads. */
export interface ContainerRow {
  readonly cid: string
  readonly name: string | null
  readonly order: string | null
  readonly firstName: string | null
  readonly splitFrom: string | null
  readonly original: string | null
  readonly objectType: string | null
}

type ContainerFilter = 'c.CONTAINERID' | 'c.SPLITFROMID' | 'c.ORIGINALCONTAINERID' | 'c.FIRSTNAME' | 'c.CONTAINERNAME'

/** Containers whose `column` is in `values`; by name only LOT objects (wafer origins are lots). */
export function containersWhere(column: ContainerFilter, values: readonly string[]): SqlQuery {
  const lotOnly = column === 'c.CONTAINERNAME' ? "c.OBJECTTYPE = 'LOT' AND " : ''
  return sql`SELECT c.CONTAINERID, c.CONTAINERNAME, c.MFGORDERNAME, c.FIRSTNAME, c.SPLITFROMID, c.ORIGINALCONTAINERID, c.OBJECTTYPE
             FROM DW_MES_CONTAINER c WHERE ${raw(lotOnly)}${raw(column)} ${idsIn(values)}`
}

/** A result row of `containersWhere`, or undefined when it has no CID. */
export function toContainerRow(r: unknown[]): ContainerRow | undefined {
  const cid = text(r[0])
  if (!cid) return undefined
  return {
    cid,
    name: text(r[1]),
    order: text(r[2]),
    firstName: text(r[3]),
    splitFrom: text(r[4]),
    original: text(r[5]),
    objectType: text(r[6]),
  }
}

/** Merge pairs (source CONTAINERID, target LOTID) whose target (`by: 'target'`) or source is in `cids`. */
export function mergesWhere(by: 'source' | 'target', cids: readonly string[]): SqlQuery {
  const column = by === 'target' ? 'p.LOTID' : 'p.CONTAINERID'
  return sql`SELECT DISTINCT p.CONTAINERID, p.LOTID FROM DW_MES_PJ_COMBINEDASSYLOTS p
             WHERE p.CONTAINERID IS NOT NULL AND p.LOTID IS NOT NULL AND ${raw(column)} ${idsIn(cids)}`
}

/** Serial numbers (FINISHEDNAME) of assembled lots (LOTID) in `cids`. */
export function serialsOf(cids: readonly string[]): SqlQuery {
  return sql`SELECT DISTINCT p.LOTID, p.FINISHEDNAME FROM DW_MES_PJ_COMBINEDASSYLOTS p
             WHERE p.FINISHEDNAME IS NOT NULL AND p.LOTID ${idsIn(cids)}`
}
