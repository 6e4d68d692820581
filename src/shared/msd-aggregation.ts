/** The `aggregation` line of an MSD trace: bounded summaries of its event rows, whatever their number. */
import type { AttributionResult, ForwardAnalysisResult } from './defect-analysis.ts'
import type { Direction, Domain } from './domains.ts'

/** Lots that went through one machine (upstream_history). */
export interface MsdMachineCount {
  workcenter_group: string | null
  equipment_name: string | null
  lots: number
}

/** Lots that consumed one material lot (materials). */
export interface MsdMaterialCount {
  material_part: string | null
  material_lot: string | null
  lots: number
}

/** Lots and quantity rejected per workcenter group and loss reason (downstream_rejects). */
export interface MsdRejectReasonCount {
  workcenter_group: string | null
  loss_reason: string
  lots: number
  reject_qty: number
}

/** Lots and quantity rejected per workcenter group and machine (downstream_rejects). */
export interface MsdRejectMachineCount {
  workcenter_group: string | null
  equipment_name: string | null
  lots: number
  reject_qty: number
}

export interface MsdAggregation extends MsdOldSummary {
  direction: Direction
  /** Entries kept per list (the largest first). */
  top_n: number
  /** Distinct lots seen per aggregated domain. */
  lots: Partial<Record<Domain, number>>
  machines: MsdMachineCount[]
  materials: MsdMaterialCount[]
  reject_reasons: MsdRejectReasonCount[]
  reject_machines: MsdRejectMachineCount[]
  /** True when a summary met its key cap and later keys were not counted. */
  truncated: boolean
  /**
   * A date-range investigation's analysis, told apart by `direction`: backward, the suspects, rates and
   * trends (no filter applied; the job's /analysis route answers other filters); forward, where the seeds'
   * genealogy went and what it lost downstream.
   */
  analysis?: AttributionResult | ForwardAnalysisResult
  /** Why a date-range investigation has no `analysis` (more detection lots than the worker analyses). */
  analysis_skipped?: string
}

/** One bar of an old chart: a machine, material lot, loss reason or reject machine, and its lots. */
export interface MsdChartItem {
  name: string
  lot_count: number
  /** Reject charts only: the rejected quantity (REJECT_TOTAL_QTY). */
  defect_qty?: number
}

/** One day of downstream rejects (forward traces; the TXNDATE day). */
export interface MsdDailyTrendItem {
  date: string
  lot_count: number
  defect_qty: number
}

/**
 * The keys the old system's defect-investigation page reads, built from the counts of this aggregation
 * (see the README's compatible contract): what the events of a trace can tell, nothing estimated.
 */
export interface MsdOldSummary {
  kpi: {
    /** Lots with upstream history rows. */
    lot_count: number
    /** Distinct machines (upstream history) and material lots (materials) counted. */
    machine_count: number
    material_lot_count: number
    /** Forward: REJECT_TOTAL_QTY summed over every downstream reject row; backward: 0. */
    defect_qty: number
  }
  charts: {
    by_machine: MsdChartItem[]
    by_material: MsdChartItem[]
    by_downstream_loss_reason: MsdChartItem[]
    by_downstream_machine: MsdChartItem[]
  }
  /** Forward: per day of downstream rejects, oldest first; backward: empty (no dated defects in its events). */
  daily_trend: MsdDailyTrendItem[]
  /** Forward: every loss reason seen downstream, sorted; backward: empty. */
  available_loss_reasons: string[]
  /** The old per-lot detail table's row count: lots with upstream history rows. */
  detail_total_count: number
}

/** The old summary's key names (our own page shows the lists above instead). */
export const MSD_OLD_SUMMARY_KEYS = [
  'kpi',
  'charts',
  'daily_trend',
  'available_loss_reasons',
  'detail_total_count',
] as const
