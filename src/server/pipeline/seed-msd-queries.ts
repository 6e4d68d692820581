/**
 * The statements of MSD date-range seeds and the reject sums both seed paths share: the full seed list
 * (seed-msd.ts, for the staged API) and the seed ids alone (seed-msd-ids.ts, for jobs).
 */
import type { MsdDateRangeParams } from '../../shared/schemas.ts'
import { findWorkcenterGroup, type WorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql, type SqlQuery } from '../source/sql.ts'
import { num, text } from './batching.ts'
import { UNFILLED_LOSS_REASON } from './events/row-values.ts'
import { forEachRow } from './row-stream.ts'
import type { StageOptions } from './stage-options.ts'
import { addDays } from './timestamps.ts'
import { workcenterGroupCondition } from './workcenter-sql.ts'

/** The detection station's workcenter group and the half-open range [start, end) of its track-ins. */
export interface MsdWindow {
  readonly group: WorkcenterGroup
  readonly start: string
  readonly end: string
}

/** The window of date-range params; throws DomainError INVALID_PARAMS for a station that is no workcenter group. */
export function msdWindow(params: MsdDateRangeParams): MsdWindow {
  const group = findWorkcenterGroup(params.station)
  if (!group) throw new DomainError('INVALID_PARAMS', `unknown detection station: ${params.station}`)
  // Date-only bounds compare correctly with ISO text (SQLite) and cast to midnight timestamps (PostgreSQL).
  return { group, start: params.start_date, end: addDays(params.end_date, 1) }
}

/** Track-ins on a machine at the station in the window (the `h` alias of DW_MES_LOTWIPHISTORY). */
export function trackInsAtStation(w: MsdWindow): SqlQuery {
  return sql`h.TRACKINTIMESTAMP >= ${w.start} AND h.TRACKINTIMESTAMP < ${w.end}
             AND h.EQUIPMENTID IS NOT NULL
             AND ${workcenterGroupCondition('h.WORKCENTERNAME', w.group)}`
}

/**
 * Each seed's latest track-in at the station: CONTAINERID, CONTAINERNAME, TRACKINTIMESTAMP, EQUIPMENTID,
 * EQUIPMENTNAME, then what the defect analysis reads of it: TRACKINQTY, PJ_TYPE, PRODUCTLINENAME.
 */
export function detectionsQuery(w: MsdWindow): SqlQuery {
  return sql`SELECT d.CONTAINERID, c.CONTAINERNAME, d.TRACKINTIMESTAMP, d.EQUIPMENTID, d.EQUIPMENTNAME,
                    d.TRACKINQTY, c.PJ_TYPE, c.PRODUCTLINENAME
             FROM (
               SELECT h.CONTAINERID, h.TRACKINTIMESTAMP, h.EQUIPMENTID, h.EQUIPMENTNAME, h.TRACKINQTY,
                      ROW_NUMBER() OVER (PARTITION BY h.CONTAINERID
                        ORDER BY h.TRACKINTIMESTAMP DESC, h.TRACKOUTTIMESTAMP DESC NULLS LAST, h.EQUIPMENTID DESC) AS RN
               FROM DW_MES_LOTWIPHISTORY h
               WHERE ${trackInsAtStation(w)}
             ) d
             LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = d.CONTAINERID
             WHERE d.RN = 1`
}

/** The seeds' CIDs alone: the same lots as `detectionsQuery`, without ranking their track-ins. */
export function seedIdsQuery(w: MsdWindow): SqlQuery {
  return sql`SELECT DISTINCT h.CONTAINERID FROM DW_MES_LOTWIPHISTORY h WHERE ${trackInsAtStation(w)}`
}

/**
 * Streams the reject quantity of every (CID, loss reason) at the station in the window to `fn`. NULL and
 * blank reasons are one bucket (UNFILLED_LOSS_REASON) that may arrive in several parts, so callers add up.
 */
export async function forEachRejectSum(
  source: MesSource,
  w: MsdWindow,
  opts: StageOptions,
  fn: (cid: string, reason: string, qty: number) => void,
): Promise<void> {
  const query = sql`SELECT r.CONTAINERID, r.LOSSREASONNAME,
                           SUM(COALESCE(r.REJECTQTY, 0) + COALESCE(r.STANDBYQTY, 0) + COALESCE(r.QTYTOPROCESS, 0)
                             + COALESCE(r.INPROCESSQTY, 0) + COALESCE(r.PROCESSEDQTY, 0) + COALESCE(r.DEFECTQTY, 0))
                    FROM DW_MES_LOTREJECTHISTORY r
                    WHERE r.TXNDATE >= ${w.start} AND r.TXNDATE < ${w.end}
                      AND ${workcenterGroupCondition('r.WORKCENTERNAME', w.group)}
                    GROUP BY r.CONTAINERID, r.LOSSREASONNAME`
  await forEachRow(source, query, opts, (row) => {
    const cid = text(row[0])
    if (cid) fn(cid, text(row[1]) ?? UNFILLED_LOSS_REASON, num(row[2]) ?? 0)
  })
}
