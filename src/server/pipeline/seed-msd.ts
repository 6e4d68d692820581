/**
 * MSD date-range seeds: every lot whose latest track-in at the detection station's workcenter group falls in
 * [start, end + 1 day) on a machine, with its rejects at the station in that range summed per loss reason.
 */
import type { Seed, SeedResolveResponse } from '../../shared/responses.ts'
import type { MsdDateRangeParams } from '../../shared/schemas.ts'
import type { MesSource } from '../source/mes-source.ts'
import { text } from './batching.ts'
import { detectionsQuery, forEachRejectSum, msdWindow } from './seed-msd-queries.ts'
import { forEachRow } from './row-stream.ts'
import { msdEmptyReason } from './seed-empty-reason.ts'
import { compareSeeds } from './seed-order.ts'
import type { StageOptions } from './stage-options.ts'
import { isoTimestamp } from './timestamps.ts'

type Detection = NonNullable<Seed['detection']>

/** Resolves MSD date-range params; throws DomainError INVALID_PARAMS for a station that is no workcenter group. */
export async function resolveMsdDateRange(
  source: MesSource,
  params: MsdDateRangeParams,
  opts: StageOptions,
): Promise<SeedResolveResponse> {
  const w = msdWindow(params)
  // Rows become seeds as they stream: the response is the one copy of the detections held.
  const seeds = new Map<string, Seed & { detection: Detection }>()
  await forEachRow(source, detectionsQuery(w), opts, (row) => {
    const cid = text(row[0])
    if (!cid) return
    const name = text(row[1]) ?? cid
    seeds.set(cid, {
      container_id: cid,
      container_name: name,
      lot_id: name,
      detection: {
        TRACKINTIMESTAMP: isoTimestamp(row[2]) ?? '',
        EQUIPMENTID: text(row[3]),
        EQUIPMENTNAME: text(row[4]),
        rejects: {},
      },
    })
  })
  await forEachRejectSum(source, w, opts, (cid, reason, qty) => {
    const rejects = seeds.get(cid)?.detection.rejects
    if (rejects) rejects[reason] = (rejects[reason] ?? 0) + qty
  })

  let list: Seed[] = [...seeds.values()]
  if (params.loss_reasons?.length) {
    const wanted = params.loss_reasons
    list = list.filter((s) => wanted.some((r) => (s.detection?.rejects[r] ?? 0) > 0))
  }
  list.sort(compareSeeds)
  const response: SeedResolveResponse = {
    stage: 'seed-resolve',
    seeds: list,
    seed_count: list.length,
    not_found: [],
    expansion_info: [],
  }
  if (list.length === 0) response.no_seeds_reason = await msdEmptyReason(source, params, opts)
  return response
}
