/** The `aggregation` line of an MSD trace: bounded summaries of its event rows, whatever their number. */
import type { AttributionResult } from './defect-analysis.ts'
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

export interface MsdAggregation {
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
   * A backward date-range investigation's suspects, rates and trends (no filter applied); the job's
   * /analysis route answers other filters.
   */
  analysis?: AttributionResult
}
