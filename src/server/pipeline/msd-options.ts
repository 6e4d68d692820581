/**
 * What the defect-investigation form offers, from the database: the detection stations (workcenter groups
 * some lot has track-in history at, in process order) and the loss reasons rejects were booked under. Both
 * are DISTINCT scans of large tables, so the route keeps the answer a few minutes.
 */
import type { MsdOptions } from '../../shared/responses.ts'
import { WORKCENTER_GROUPS, workcenterGroupOf } from '../../shared/workcenter-groups.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql } from '../source/sql.ts'
import { text } from './batching.ts'

export async function msdOptions(source: MesSource, signal?: AbortSignal): Promise<MsdOptions> {
  const [workcenters, reasons] = await Promise.all([
    source.all(sql`SELECT DISTINCT h.WORKCENTERNAME FROM DW_MES_LOTWIPHISTORY h WHERE h.WORKCENTERNAME IS NOT NULL`, {
      signal,
    }),
    source.all(
      sql`SELECT DISTINCT r.LOSSREASONNAME FROM DW_MES_LOTREJECTHISTORY r WHERE r.LOSSREASONNAME IS NOT NULL`,
      { signal },
    ),
  ])
  const present = new Set(workcenters.rows.map((r) => workcenterGroupOf(text(r[0]))?.name))
  return {
    stations: WORKCENTER_GROUPS.filter((g) => present.has(g.name)).map((g) => ({ name: g.name, label: g.label })),
    loss_reasons: reasons.rows
      .map((r) => text(r[0]))
      .filter((r): r is string => r !== null && r.trim() !== '')
      .sort(),
  }
}
