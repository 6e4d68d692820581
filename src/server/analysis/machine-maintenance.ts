/**
 * A suspect machine's maintenance jobs in the analysis window, what an engineer reads beside its defect trend
 * (a repair just before the rate jumped, a skipped PM). DW_MES_JOB by RESOURCEID, or by RESOURCENAME when the
 * suspect has no machine id; the window bounds the scan through the CREATEDATE index. At most `limit` jobs,
 * earliest first: the cursor is closed as soon as one more is read.
 */
import type { MaintenanceJob } from '../../shared/defect-analysis.ts'
import { text } from '../pipeline/batching.ts'
import { isoTimestamp } from '../pipeline/timestamps.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql } from '../source/sql.ts'

export interface AnalysisWindow {
  /** First day, inclusive (YYYY-MM-DD). */
  readonly start: string
  /** Day after the last, exclusive. */
  readonly end: string
}

export async function machineMaintenanceJobs(
  source: MesSource,
  machine: { readonly id: string | null; readonly name: string },
  window: AnalysisWindow,
  limit: number,
  signal?: AbortSignal,
): Promise<{ jobs: MaintenanceJob[]; truncated: boolean }> {
  const which = machine.id !== null ? sql`j.RESOURCEID = ${machine.id}` : sql`j.RESOURCENAME = ${machine.name}`
  const query = sql`
    SELECT j.JOBID, j.RESOURCENAME, j.JOBSTATUS, j.JOBMODELNAME, j.JOBORDERNAME, j.CREATEDATE, j.COMPLETEDATE,
           j.CAUSECODENAME, j.REPAIRCODENAME, j.SYMPTOMCODENAME
    FROM DW_MES_JOB j
    WHERE j.CREATEDATE >= ${window.start} AND j.CREATEDATE < ${window.end} AND ${which}
    ORDER BY j.CREATEDATE, j.JOBID`
  const jobs: MaintenanceJob[] = []
  for await (const batch of source.stream(query, { fetchSize: limit + 1, signal })) {
    for (const r of batch.rows) {
      if (jobs.length === limit) return { jobs, truncated: true }
      jobs.push({
        JOBID: text(r[0]) ?? '',
        RESOURCENAME: text(r[1]),
        JOBSTATUS: text(r[2]),
        JOBMODELNAME: text(r[3]),
        JOBORDERNAME: text(r[4]),
        CREATEDATE: isoTimestamp(r[5]),
        COMPLETEDATE: isoTimestamp(r[6]),
        CAUSECODENAME: text(r[7]),
        REPAIRCODENAME: text(r[8]),
        SYMPTOMCODENAME: text(r[9]),
      })
    }
  }
  return { jobs, truncated: false }
}
