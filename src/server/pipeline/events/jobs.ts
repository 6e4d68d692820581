/**
 * jobs: maintenance jobs whose comma-separated CONTAINERIDS list holds the CID, one row per (job, CID). The
 * membership test is a string containment join (`,list,` LIKE `%,cid,%`, blanks removed so `a, b` lists
 * match too) that runs unchanged on SQLite, PostgreSQL and Oracle; CONTAINERNAME is the CONTAINERNAMES
 * entry at the CID's position.
 */
import { idsTable, sql } from '../../source/sql.ts'
import { text } from '../batching.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { DomainQuery } from './domain-query.ts'

function nameAtSamePosition(cid: string, ids: unknown, names: unknown): string | null {
  const i = String(ids ?? '').split(',').findIndex((id) => id.trim() === cid)
  if (i < 0) return null
  return text(String(names ?? '').split(',')[i])
}

export const jobsQuery: DomainQuery = {
  query: (cids) => sql`
    SELECT x.cid, j.CONTAINERIDS, j.CONTAINERNAMES, j.JOBID, j.RESOURCEID, j.RESOURCENAME, j.JOBSTATUS,
           j.JOBMODELNAME, j.JOBORDERNAME, j.CREATEDATE, j.COMPLETEDATE, j.CAUSECODENAME, j.REPAIRCODENAME,
           j.SYMPTOMCODENAME
    FROM DW_MES_JOB j
    JOIN ${idsTable(cids)} x ON (',' || REPLACE(j.CONTAINERIDS, ' ', '') || ',') LIKE ('%,' || x.cid || ',%')
    ORDER BY x.cid, j.CREATEDATE NULLS LAST, j.JOBID`,
  mapRow: (r) => {
    const cid = String(r[0])
    return [
      cid, nameAtSamePosition(cid, r[1], r[2]), r[3], r[4], r[5], r[6], r[7], r[8],
      isoTimestamp(r[9]), isoTimestamp(r[10]), r[11], r[12], r[13],
    ]
  },
}
