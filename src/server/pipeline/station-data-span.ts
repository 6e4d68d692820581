/**
 * The days a detection station has data for: the first and last track-in on a machine at its workcenter
 * group. The MSD form defaults to the most recent month of it, and an empty date range says what it holds.
 */
import type { StationDataSpan } from '../../shared/responses.ts'
import type { WorkcenterGroup } from '../../shared/workcenter-groups.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql } from '../source/sql.ts'
import { collectRows } from './batching.ts'
import type { StageOptions } from './stage-options.ts'
import { isoTimestamp } from './timestamps.ts'
import { workcenterGroupCondition } from './workcenter-sql.ts'

/** First and last day with a track-in at the group (null days when it has none). */
export async function stationDataSpan(
  source: MesSource,
  group: WorkcenterGroup,
  opts: StageOptions,
): Promise<Omit<StationDataSpan, 'station'>> {
  const rows = await collectRows(
    source,
    sql`SELECT MIN(h.TRACKINTIMESTAMP), MAX(h.TRACKINTIMESTAMP) FROM DW_MES_LOTWIPHISTORY h
        WHERE h.EQUIPMENTID IS NOT NULL AND ${workcenterGroupCondition('h.WORKCENTERNAME', group)}`,
    opts,
  )
  const day = (value: unknown): string | null => isoTimestamp(value)?.slice(0, 10) ?? null
  return { first_day: day(rows[0]?.[0]), last_day: day(rows[0]?.[1]) }
}
