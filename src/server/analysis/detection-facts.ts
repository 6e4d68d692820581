/**
 * The detection facts of a defect investigation: for every lot whose latest track-in at the detection
 * station falls in the window, its input (TRACKINQTY), detection machine, track-in time, product type and
 * package, and its rejects at the station per loss reason: the seeds' own detection statement and the reject
 * sums, each read batch by batch.
 */
import type { DetectionLotFacts } from './defect-attribution.ts'
import { num, text } from '../pipeline/batching.ts'
import { forEachRow } from '../pipeline/row-stream.ts'
import { detectionsQuery, forEachRejectSum, type MsdWindow } from '../pipeline/seed-msd-queries.ts'
import type { StageOptions } from '../pipeline/stage-options.ts'
import { isoTimestamp } from '../pipeline/timestamps.ts'
import type { MesSource } from '../source/mes-source.ts'

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
  await forEachRow(source, detectionsQuery(w), opts, (row) => {
    const cid = text(row[0])
    if (!cid) return
    lots.set(cid, {
      cid,
      name: text(row[1]) ?? cid,
      trackIn: isoTimestamp(row[2]) ?? '',
      machine: text(row[4]),
      inputQty: num(row[5]) ?? 0,
      productType: text(row[6]),
      productLine: text(row[7]),
      rejects: {},
    })
  })
  await forEachRejectSum(source, w, opts, (cid, reason, qty) => {
    const rejects = lots.get(cid)?.rejects
    if (rejects) rejects[reason] = (rejects[reason] ?? 0) + qty
  })
  for (const facts of lots.values()) add(facts)
}
