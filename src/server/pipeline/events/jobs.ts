/**
 * jobs: maintenance jobs whose comma-separated CONTAINERIDS list holds a requested CID, one row per
 * (job, CID), CONTAINERNAME taken from the same position of CONTAINERNAMES; the whole CONTAINERIDS and
 * CONTAINERNAMES lists are kept, as the old system showed them.
 *
 * No index can answer "CID inside a list", and a SQL containment join costs jobs × CIDs LIKE tests
 * (measured: 5,000 jobs × 20,000 CIDs took 289 s on SQLite). So the table is streamed once in
 * DB_SLOW_FETCHMANY_SIZE batches and each list is split and looked up in a set of the requested CIDs:
 * linear in the table, whatever the number of CIDs.
 */
import { sql } from '../../source/sql.ts'
import { text } from '../batching.ts'
import { isoTimestamp } from '../timestamps.ts'
import type { ScanDomainQuery } from './domain-query.ts'

export const jobsQuery: ScanDomainQuery = {
  kind: 'scan',
  query: () => sql`
    SELECT j.CONTAINERIDS, j.CONTAINERNAMES, j.JOBID, j.RESOURCEID, j.RESOURCENAME, j.JOBSTATUS, j.JOBMODELNAME,
           j.JOBORDERNAME, j.CREATEDATE, j.COMPLETEDATE, j.CAUSECODENAME, j.REPAIRCODENAME, j.SYMPTOMCODENAME
    FROM DW_MES_JOB j
    WHERE j.CONTAINERIDS IS NOT NULL
    ORDER BY j.CREATEDATE NULLS LAST, j.JOBID`,
  mapRows: (r, cids) => {
    const ids = String(r[0]).split(',')
    let names: string[] | undefined
    const out: unknown[][] = []
    const listed = new Set<string>()
    ids.forEach((raw, i) => {
      const cid = raw.trim()
      if (!cids.has(cid) || listed.has(cid)) return
      listed.add(cid)
      names ??= String(r[1] ?? '').split(',')
      out.push([
        cid,
        text(names[i]),
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        isoTimestamp(r[8]),
        isoTimestamp(r[9]),
        r[10],
        r[11],
        r[12],
        r[0],
        r[1],
      ])
    })
    return out
  },
}
