/**
 * The detection facts of a defect investigation: for every lot whose latest track-in at the detection
 * station falls in the window, its input (TRACKINQTY), detection machine, track-in time, product type and
 * package, and its rejects at the station per loss reason. One statement for the track-ins, one for the
 * rejects, each read batch by batch.
 */
import type { DetectionLotFacts } from './defect-attribution.ts'
import { num, text } from '../pipeline/batching.ts'
import { forEachRow } from '../pipeline/row-stream.ts'
import { forEachRejectSum, trackInsAtStation, type MsdWindow } from '../pipeline/seed-msd-queries.ts'
import type { StageOptions } from '../pipeline/stage-options.ts'
import { isoTimestamp } from '../pipeline/timestamps.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql, type SqlQuery } from '../source/sql.ts'

/** Each detection lot's latest track-in at the station, with its input, machine, type and package. */
export function detectionFactsQuery(w: MsdWindow): SqlQuery {
  return sql`SELECT d.CONTAINERID, c.CONTAINERNAME, d.TRACKINTIMESTAMP, d.EQUIPMENTNAME, d.TRACKINQTY,
                    c.PJ_TYPE, c.PRODUCTLINENAME
             FROM (
               SELECT h.CONTAINERID, h.TRACKINTIMESTAMP, h.EQUIPMENTNAME, h.TRACKINQTY,
                      ROW_NUMBER() OVER (PARTITION BY h.CONTAINERID
                        ORDER BY h.TRACKINTIMESTAMP DESC, h.TRACKOUTTIMESTAMP DESC NULLS LAST, h.EQUIPMENTID DESC) AS RN
               FROM DW_MES_LOTWIPHISTORY h
               WHERE ${trackInsAtStation(w)}
             ) d
             LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = d.CONTAINERID
             WHERE d.RN = 1`
}

/**
 * Hands every detection lot's facts to `add`, rejects included. The facts of all lots are held until the
 * rejects are read (one small record per lot, bounded by the lots at the station, not by rows).
 */
export async function forEachDetectionLot(
  source: MesSource,
  w: MsdWindow,
  opts: StageOptions,
  add: (facts: DetectionLotFacts) => void,
): Promise<void> {
  const lots = new Map<string, DetectionLotFacts & { rejects: Record<string, number> }>()
  await forEachRow(source, detectionFactsQuery(w), opts, (row) => {
    const cid = text(row[0])
    if (!cid) return
    lots.set(cid, {
      cid,
      name: text(row[1]) ?? cid,
      trackIn: isoTimestamp(row[2]) ?? '',
      machine: text(row[3]),
      inputQty: num(row[4]) ?? 0,
      productType: text(row[5]),
      productLine: text(row[6]),
      rejects: {},
    })
  })
  await forEachRejectSum(source, w, opts, (cid, reason, qty) => {
    const rejects = lots.get(cid)?.rejects
    if (rejects) rejects[reason] = (rejects[reason] ?? 0) + qty
  })
  for (const facts of lots.values()) add(facts)
}
