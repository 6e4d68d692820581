/**
 * The defect investigation's answer as the API sends it: KPIs, suspects with their rates and statistics,
 * Paretos, daily trends and the per-lot detail rows. Computed by src/server/analysis, read by the page.
 */
import { z } from 'zod'

/** Kinds of suspect: an upstream machine, a material lot, a wafer root, or the detection machine itself. */
export type SuspectDimension = 'machine' | 'material' | 'wafer_root' | 'detection_machine'
export const SUSPECT_DIMENSIONS: readonly SuspectDimension[] = [
  'machine',
  'material',
  'wafer_root',
  'detection_machine',
]

/** Filters applied when reading, without re-running the trace. */
export interface AttributionFilter {
  /** Reasons counted as defects (the numerator only); all when empty. */
  readonly lossReasons?: readonly string[]
  /** Lots kept by PJ_TYPE; all when empty. */
  readonly productTypes?: readonly string[]
  /** Lots kept by PRODUCTLINENAME (the package); all when empty. */
  readonly productLines?: readonly string[]
  /** Machine suspects kept by workcenter group; all when empty. */
  readonly workcenterGroups?: readonly string[]
}

export interface Suspect {
  readonly dimension: SuspectDimension
  /** machine: [group, name, id]; material: [part, lot]; wafer_root: [name]; detection_machine: [name]. */
  readonly key: readonly (string | null)[]
  readonly detection_lot_count: number
  readonly input_qty: number
  readonly defect_qty: number
  /** Percent, 4 decimals. */
  readonly defect_rate: number
  /** Percent, 4 decimals: the rate of the lots not linked to this key. */
  readonly rate_elsewhere: number
  readonly lift: number | null
  /** 95 % Wilson interval of defect_rate, percent. */
  readonly rate_ci: readonly [number, number] | null
  readonly p_value: number
  readonly score: number
}

export interface ParetoItem {
  readonly label: string
  readonly value: number
  readonly cumulative_pct: number
}

export interface DailyPoint {
  readonly day: string
  readonly input_qty: number
  readonly defect_qty: number
  readonly defect_rate: number
}

export interface AttributionKpi {
  readonly total_input: number
  readonly lot_count: number
  readonly defective_lot_count: number
  readonly defect_qty: number
  readonly defect_rate: number
  readonly top_loss_reason: string | null
  readonly machines_involved: number
}

export interface AttributionResult {
  readonly direction: 'backward'
  readonly kpi: AttributionKpi
  readonly suspects: Readonly<Record<SuspectDimension, readonly Suspect[]>>
  /** Top 10 by defect quantity plus "other", per dimension and by loss reason. */
  readonly pareto: Readonly<Record<SuspectDimension | 'loss_reason', readonly ParetoItem[]>>
  readonly daily_trend: readonly DailyPoint[]
  /** Daily points of the top suspect machines, keyed by their label. */
  readonly suspect_trends: Readonly<Record<string, readonly DailyPoint[]>>
  /** Reasons with reject quantity > 0 over the lots kept by the filter. */
  readonly available_loss_reasons: readonly string[]
  readonly available_product_types: readonly string[]
  readonly available_product_lines: readonly string[]
}

export interface LotDetailRow {
  readonly CONTAINERID: string
  readonly CONTAINERNAME: string
  readonly INPUT_QTY: number
  readonly DEFECT_QTY: number
  readonly DEFECT_RATE: number
  readonly DETECTION_MACHINE: string | null
  readonly TRACKINTIMESTAMP: string
  readonly PJ_TYPE: string | null
  readonly PRODUCTLINENAME: string | null
  /** `reason: qty` of each reason with rejects, largest first. */
  readonly REJECTS: string
  /** The top suspects (by score) this lot is linked to. */
  readonly SUSPECTS: string
}

/** The detection reason of a seed without rejects at the detection station. */
export const NO_DETECTION_REJECT = '(no reject)'

export interface ForwardKpi {
  /** Seeds: lots tracked in at the detection station in the window. */
  readonly detection_lots: number
  /** Σ reject qty of the seeds at the detection station. */
  readonly detection_defect_qty: number
  /** Lots of the forward genealogy, the seeds included. */
  readonly lots_tracked: number
  /** Workcenter groups after the detection station with history or rejects of the genealogy. */
  readonly stations_reached: number
  /** Σ REJECT_TOTAL_QTY of the genealogy's rejects after the detection station, each reject row once. */
  readonly downstream_reject_qty: number
  /** Percent, 4 decimals: downstream rejects ÷ Σ the seeds' TRACKINQTY at the detection station. */
  readonly downstream_reject_rate: number
}

/** One downstream workcenter group (equipment_name undefined) or one machine of it. */
export interface ForwardStation {
  readonly workcenter_group: string
  readonly equipment_name?: string | null
  /** Distinct seeds with a descendant (or themselves) here. */
  readonly lots_reached: number
  /** Σ TRACKINQTY of the genealogy's upstream_history rows here. */
  readonly input_qty: number
  /** Σ REJECT_TOTAL_QTY of the genealogy's downstream_rejects rows here. */
  readonly reject_qty: number
  /** Percent, 4 decimals: reject_qty ÷ input_qty. */
  readonly reject_rate: number
  readonly by_loss_reason: Readonly<Record<string, number>>
}

/**
 * Detection loss reason (the seed's largest at the detection station) × downstream workcenter group → reject
 * qty. A merged lot's reject counts once in each row of its seeds' reasons, so rows may add up to more than
 * the downstream total.
 */
export interface ForwardCrosstab {
  readonly detection_reasons: readonly string[]
  readonly workcenter_groups: readonly string[]
  /** cells[r][g]: detection_reasons[r] × workcenter_groups[g]. */
  readonly cells: readonly (readonly number[])[]
}

/** A seed with the downstream rejects of its genealogy re-keyed to it. */
export interface ForwardSeedRow {
  readonly CONTAINERID: string
  readonly CONTAINERNAME: string
  readonly DETECTION_REASON: string
  readonly DETECTION_DEFECT_QTY: number
  readonly DOWNSTREAM_REJECT_QTY: number
}

/** A forward date-range investigation: where the lots that passed the station went, and what they lost there. */
export interface ForwardAnalysisResult {
  readonly direction: 'forward'
  readonly kpi: ForwardKpi
  /** Downstream groups in route order. */
  readonly stations: readonly ForwardStation[]
  /** Downstream machines, most rejects first, at most 100. */
  readonly machines: readonly ForwardStation[]
  readonly crosstab: ForwardCrosstab
  /** Seeds with the most downstream rejects, at most 50. */
  readonly seeds: readonly ForwardSeedRow[]
}

/** A comma-separated list in a query string ('' = none): `?loss_reasons=A,B`. */
const listParam = z
  .string()
  .max(10_000)
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  )

/** Query of GET /api/trace/job/<id>/analysis: the read-time filters, each a comma-separated list. */
export const analysisQuerySchema = z.object({
  loss_reasons: listParam,
  product_types: listParam,
  product_lines: listParam,
  workcenter_groups: listParam,
})
export type AnalysisQuery = z.output<typeof analysisQuerySchema>

/** Query of GET /api/trace/job/<id>/analysis/lots: the filters plus a page. */
export const analysisLotsQuerySchema = analysisQuerySchema.extend({
  offset: z
    .string()
    .regex(/^\d{1,9}$/, 'offset is a whole number')
    .default('0')
    .transform(Number),
  limit: z
    .string()
    .regex(/^\d{1,5}$/, 'limit is a whole number')
    .default('1000')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 10_000, 'limit is 1 to 10000'),
})

/** The filter of a parsed analysis query. */
export function analysisFilterOf(q: AnalysisQuery): AttributionFilter {
  return {
    lossReasons: q.loss_reasons,
    productTypes: q.product_types,
    productLines: q.product_lines,
    workcenterGroups: q.workcenter_groups,
  }
}

/** One suspect's numbers, its trend over the window and the lots behind it. */
export interface SuspectDetail {
  readonly suspect: Suspect
  readonly daily_trend: readonly DailyPoint[]
  /** The worst lots behind the suspect, at most 200. */
  readonly lots: readonly {
    CONTAINERID: string
    CONTAINERNAME: string
    INPUT_QTY: number
    DEFECT_QTY: number
    DEFECT_RATE: number
    TRACKINTIMESTAMP: string
  }[]
  readonly lot_count: number
  /**
   * A machine's maintenance jobs (DW_MES_JOB) created in the analysis window, earliest first, at most 100;
   * absent for material lots and wafer roots.
   */
  readonly maintenance?: {
    readonly window: { readonly start: string; readonly end: string }
    readonly jobs: readonly MaintenanceJob[]
    /** More jobs than listed were created in the window. */
    readonly truncated: boolean
  }
}

/** One maintenance job of a suspect machine. */
export interface MaintenanceJob {
  readonly JOBID: string
  readonly RESOURCENAME: string | null
  readonly JOBSTATUS: string | null
  readonly JOBMODELNAME: string | null
  readonly JOBORDERNAME: string | null
  readonly CREATEDATE: string | null
  readonly COMPLETEDATE: string | null
  readonly CAUSECODENAME: string | null
  readonly REPAIRCODENAME: string | null
  readonly SYMPTOMCODENAME: string | null
}

/** Query of GET /api/trace/job/<id>/analysis/suspect: which suspect (key parts joined by `|`), plus the filters. */
export const suspectQuerySchema = analysisQuerySchema.extend({
  dimension: z.enum(SUSPECT_DIMENSIONS as unknown as [SuspectDimension, ...SuspectDimension[]]),
  key: z.string().min(1).max(2000),
})

/** The per-lot detail's columns, in the order the table and the CSV show them. */
export const LOT_DETAIL_COLUMNS = [
  'CONTAINERID',
  'CONTAINERNAME',
  'INPUT_QTY',
  'DEFECT_QTY',
  'DEFECT_RATE',
  'DETECTION_MACHINE',
  'TRACKINTIMESTAMP',
  'PJ_TYPE',
  'PRODUCTLINENAME',
  'REJECTS',
  'SUSPECTS',
] as const satisfies readonly (keyof LotDetailRow)[]

/** A page of per-lot detail rows. */
export interface AnalysisLotsPage {
  readonly job_id: string
  readonly offset: number
  readonly total: number
  readonly data: readonly LotDetailRow[]
}
