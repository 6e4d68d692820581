/**
 * The old defect-investigation page's summary keys (`kpi`, `charts`, `daily_trend`, `available_loss_reasons`,
 * `detail_total_count`), built from the MSD aggregator's counts. Bars name what was counted: a machine or a
 * loss reason counted per workcenter group is named with its group, never merged into a figure not counted.
 */
import type { MsdAggregation, MsdChartItem, MsdDailyTrendItem, MsdOldSummary } from '../../shared/msd-aggregation.ts'

/** What the aggregator counted beyond its ranked lists. */
export interface OldSummaryCounts {
  readonly machineKeys: number
  readonly materialKeys: number
  readonly defectQty: number
  readonly days: readonly MsdDailyTrendItem[]
  readonly lossReasons: readonly string[]
}

type Ranked = Omit<MsdAggregation, keyof MsdOldSummary>

const join = (...parts: (string | null)[]): string => parts.filter((p) => p !== null && p !== '').join(' · ')

/** The old keys for an aggregation whose ranked lists are `ranked`. */
export function oldSummary(ranked: Ranked, counts: OldSummaryCounts): MsdOldSummary {
  const lotCount = ranked.lots.upstream_history ?? 0
  const forward = ranked.direction === 'forward'
  const byMachine: MsdChartItem[] = ranked.machines.map((m) => ({
    name: join(m.workcenter_group, m.equipment_name),
    lot_count: m.lots,
  }))
  const byMaterial: MsdChartItem[] = ranked.materials.map((m) => ({
    name: join(m.material_part, m.material_lot),
    lot_count: m.lots,
  }))
  const byReason: MsdChartItem[] = ranked.reject_reasons.map((r) => ({
    name: join(r.workcenter_group, r.loss_reason),
    lot_count: r.lots,
    defect_qty: r.reject_qty,
  }))
  const byRejectMachine: MsdChartItem[] = ranked.reject_machines.map((r) => ({
    name: join(r.workcenter_group, r.equipment_name),
    lot_count: r.lots,
    defect_qty: r.reject_qty,
  }))
  return {
    kpi: {
      lot_count: lotCount,
      machine_count: counts.machineKeys,
      material_lot_count: counts.materialKeys,
      defect_qty: counts.defectQty,
    },
    charts: {
      by_machine: byMachine,
      by_material: byMaterial,
      by_downstream_loss_reason: byReason,
      by_downstream_machine: byRejectMachine,
    },
    daily_trend: forward ? [...counts.days] : [],
    available_loss_reasons: forward ? [...counts.lossReasons] : [],
    detail_total_count: lotCount,
  }
}
