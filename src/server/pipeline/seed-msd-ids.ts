/**
 * The CIDs of MSD date-range seeds without their detection details: what a job needs. The lots are those
 * of resolveMsdDateRange; memory holds the ids (and, with a loss-reason filter, the sums of the wanted
 * reasons), never a row per track-in or a seed object.
 */
import type { MsdDateRangeParams } from '../../shared/schemas.ts'
import type { MesSource } from '../source/mes-source.ts'
import { text } from './batching.ts'
import { forEachRejectSum, msdWindow, seedIdsQuery, type MsdWindow } from './seed-msd-queries.ts'
import { forEachRow } from './row-stream.ts'
import type { StageOptions } from './stage-options.ts'

/** CIDs with a positive reject sum for one of `reasons` at the station in the window. */
async function cidsWithLossReasons(
  source: MesSource,
  w: MsdWindow,
  reasons: readonly string[],
  opts: StageOptions,
): Promise<Set<string>> {
  const wanted = new Set(reasons)
  const sums = new Map<string, Map<string, number>>()
  await forEachRejectSum(source, w, opts, (cid, reason, qty) => {
    if (!wanted.has(reason)) return
    let byReason = sums.get(cid)
    if (!byReason) sums.set(cid, (byReason = new Map()))
    byReason.set(reason, (byReason.get(reason) ?? 0) + qty)
  })
  const out = new Set<string>()
  for (const [cid, byReason] of sums) if ([...byReason.values()].some((sum) => sum > 0)) out.add(cid)
  return out
}

/**
 * The seed CIDs of MSD date-range params, sorted and unique: `resolveMsdDateRange(…).seeds`' ids. Throws
 * DomainError INVALID_PARAMS for a station that is no workcenter group.
 */
export async function resolveMsdSeedIds(
  source: MesSource,
  params: MsdDateRangeParams,
  opts: StageOptions,
): Promise<string[]> {
  const w = msdWindow(params)
  const allowed = params.loss_reasons?.length
    ? await cidsWithLossReasons(source, w, params.loss_reasons, opts)
    : undefined
  const ids = new Set<string>()
  await forEachRow(source, seedIdsQuery(w), opts, (row) => {
    const cid = text(row[0])
    if (cid && (!allowed || allowed.has(cid))) ids.add(cid)
  })
  return [...ids].sort()
}
