/**
 * MSD date-range seeds: every lot whose latest track-in at the detection station's workcenter group falls in
 * [start, end + 1 day) on a machine, with its rejects at the station in that range summed per loss reason.
 */
import type { Seed, SeedResolveResponse } from '../../shared/responses.ts'
import type { MsdDateRangeParams } from '../../shared/schemas.ts'
import { findWorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { ApiError } from '../http/api-error.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql } from '../source/sql.ts'
import { collectRows, num, text } from './batching.ts'
import { UNFILLED_LOSS_REASON } from './events/row-values.ts'
import { compareSeeds } from './seed-order.ts'
import type { StageOptions } from './stage-options.ts'
import { addDays, isoTimestamp } from './timestamps.ts'
import { workcenterGroupCondition } from './workcenter-sql.ts'

type Detection = NonNullable<Seed['detection']>


/** Resolves MSD date-range params; throws ApiError 400 INVALID_PARAMS for a station that is no workcenter group. */
export async function resolveMsdDateRange(
  source: MesSource,
  params: MsdDateRangeParams,
  opts: StageOptions,
): Promise<SeedResolveResponse> {
  const group = findWorkcenterGroup(params.station)
  if (!group) throw new ApiError(400, 'INVALID_PARAMS', `unknown detection station: ${params.station}`)
  // Date-only bounds compare correctly with ISO text (SQLite) and cast to midnight timestamps (PostgreSQL).
  const start = params.start_date
  const end = addDays(params.end_date, 1)

  const detections = await collectRows(
    source,
    sql`SELECT d.CONTAINERID, c.CONTAINERNAME, d.TRACKINTIMESTAMP, d.EQUIPMENTID, d.EQUIPMENTNAME
        FROM (
          SELECT h.CONTAINERID, h.TRACKINTIMESTAMP, h.EQUIPMENTID, h.EQUIPMENTNAME,
                 ROW_NUMBER() OVER (PARTITION BY h.CONTAINERID
                   ORDER BY h.TRACKINTIMESTAMP DESC, h.TRACKOUTTIMESTAMP DESC NULLS LAST, h.EQUIPMENTID DESC) AS RN
          FROM DW_MES_LOTWIPHISTORY h
          WHERE h.TRACKINTIMESTAMP >= ${start} AND h.TRACKINTIMESTAMP < ${end}
            AND h.EQUIPMENTID IS NOT NULL
            AND ${workcenterGroupCondition('h.WORKCENTERNAME', group)}
        ) d
        LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = d.CONTAINERID
        WHERE d.RN = 1`,
    opts,
  )
  const seeds = new Map<string, Seed & { detection: Detection }>()
  for (const row of detections) {
    const cid = text(row[0])
    if (!cid) continue
    const name = text(row[1]) ?? cid
    seeds.set(cid, {
      container_id: cid,
      container_name: name,
      lot_id: name,
      detection: { TRACKINTIMESTAMP: isoTimestamp(row[2]) ?? '', EQUIPMENTID: text(row[3]), EQUIPMENTNAME: text(row[4]), rejects: {} },
    })
  }

  const rejects = await collectRows(
    source,
    sql`SELECT r.CONTAINERID, r.LOSSREASONNAME,
               SUM(COALESCE(r.REJECTQTY, 0) + COALESCE(r.STANDBYQTY, 0) + COALESCE(r.QTYTOPROCESS, 0)
                 + COALESCE(r.INPROCESSQTY, 0) + COALESCE(r.PROCESSEDQTY, 0) + COALESCE(r.DEFECTQTY, 0))
        FROM DW_MES_LOTREJECTHISTORY r
        WHERE r.TXNDATE >= ${start} AND r.TXNDATE < ${end}
          AND ${workcenterGroupCondition('r.WORKCENTERNAME', group)}
        GROUP BY r.CONTAINERID, r.LOSSREASONNAME`,
    opts,
  )
  for (const row of rejects) {
    const seed = seeds.get(text(row[0]) ?? '')
    if (!seed) continue
    // NULL and blank reasons are one bucket, so they are merged after the GROUP BY.
    const reason = text(row[1]) ?? UNFILLED_LOSS_REASON
    seed.detection.rejects[reason] = (seed.detection.rejects[reason] ?? 0) + (num(row[2]) ?? 0)
  }

  let list: Seed[] = [...seeds.values()]
  if (params.loss_reasons?.length) {
    const wanted = params.loss_reasons
    list = list.filter((s) => wanted.some((r) => (s.detection?.rejects[r] ?? 0) > 0))
  }
  list.sort(compareSeeds)
  return { stage: 'seed-resolve', seeds: list, seed_count: list.length, not_found: [], expansion_info: [] }
}
