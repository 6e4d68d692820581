/**
 * Event domains, profiles and their columns, exactly as docs/domain.md names them.
 * Shared by server (SQL, CSV headers) and client (table columns, default checkboxes).
 */

/** Every event domain the pipeline can fetch. */
export const DOMAINS = [
  'history',
  'materials',
  'rejects',
  'holds',
  'jobs',
  'upstream_history',
  'downstream_rejects',
] as const
export type Domain = (typeof DOMAINS)[number]

export const PROFILES = ['query_tool', 'query_tool_reverse', 'mid_section_defect'] as const
export type Profile = (typeof PROFILES)[number]

export type Direction = 'forward' | 'backward'

/**
 * Output columns per domain, in the order rows are sent (rows are arrays in this order). Every domain
 * carries CONTAINERNAME; rejects use the old system's names (REJECT_QTY … PROCESSED_QTY, TXN_TIME, TXN_DAY).
 */
export const DOMAIN_COLUMNS: Readonly<Record<Domain, readonly string[]>> = {
  history: [
    'CONTAINERID',
    'CONTAINERNAME',
    'WORKCENTERNAME',
    'EQUIPMENTID',
    'EQUIPMENTNAME',
    'SPECNAME',
    'TRACKINTIMESTAMP',
    'TRACKOUTTIMESTAMP',
    'TRACKINQTY',
    'TRACKOUTQTY',
    'FINISHEDRUNCARD',
    'PJ_WORKORDER',
    'PJ_TYPE',
    'PJ_BOP',
    'WAFER_LOT_ID',
  ],
  materials: [
    'CONTAINERID',
    'CONTAINERNAME',
    'MATERIALPARTNAME',
    'MATERIALLOTNAME',
    'QTYCONSUMED',
    'WORKCENTERNAME',
    'SPECNAME',
    'EQUIPMENTNAME',
    'TXNDATE',
  ],
  rejects: [
    'CONTAINERID',
    'CONTAINERNAME',
    'WORKCENTERNAME',
    'WORKCENTER_GROUP',
    'WORKCENTERSEQUENCE_GROUP',
    'PRODUCTLINENAME',
    'PJ_FUNCTION',
    'PJ_TYPE',
    'PRODUCTNAME',
    'SPECNAME',
    'LOSSREASONNAME',
    'EQUIPMENTNAME',
    'REJECTCOMMENT',
    'REJECT_QTY',
    'STANDBY_QTY',
    'QTYTOPROCESS_QTY',
    'INPROCESS_QTY',
    'PROCESSED_QTY',
    'REJECT_TOTAL_QTY',
    'DEFECT_QTY',
    'TXN_TIME',
    'TXNDATE',
    'TXN_DAY',
  ],
  holds: [
    'CONTAINERID',
    'CONTAINERNAME',
    'WORKCENTERNAME',
    'HOLDTXNDATE',
    'HOLDEMP',
    'HOLDEMPDEPTNAME',
    'HOLDREASONNAME',
    'HOLDCOMMENTS',
    'RELEASETXNDATE',
    'RELEASEEMP',
    'RELEASECOMMENTS',
    'NCRID',
    'HOLD_STATUS',
    'HOLD_HOURS',
  ],
  jobs: [
    'CONTAINERID',
    'CONTAINERNAME',
    'JOBID',
    'RESOURCEID',
    'RESOURCENAME',
    'JOBSTATUS',
    'JOBMODELNAME',
    'JOBORDERNAME',
    'CREATEDATE',
    'COMPLETEDATE',
    'CAUSECODENAME',
    'REPAIRCODENAME',
    'SYMPTOMCODENAME',
    'CONTAINERIDS',
    'CONTAINERNAMES',
  ],
  upstream_history: [
    'CONTAINERID',
    'CONTAINERNAME',
    'WORKCENTERNAME',
    'WORKCENTER_GROUP',
    'EQUIPMENTID',
    'EQUIPMENTNAME',
    'SPECNAME',
    'TRACKINTIMESTAMP',
    'TRACKINQTY',
  ],
  downstream_rejects: [
    'CONTAINERID',
    'CONTAINERNAME',
    'WORKCENTERNAME',
    'WORKCENTER_GROUP',
    'LOSSREASONNAME',
    'EQUIPMENTNAME',
    'REJECT_TOTAL_QTY',
    'TXNDATE',
  ],
}

/** Which input types seed each profile (MSD container mode takes the forward types). */
export const PROFILE_INPUT_TYPES = {
  query_tool: ['lot_id', 'wafer_lot', 'work_order'],
  query_tool_reverse: ['serial_number', 'gd_lot_id', 'gd_work_order'],
  mid_section_defect: ['lot_id', 'wafer_lot', 'work_order'],
} as const satisfies Record<Profile, readonly string[]>

export const INPUT_TYPES = ['lot_id', 'wafer_lot', 'work_order', 'serial_number', 'gd_lot_id', 'gd_work_order'] as const
export type InputType = (typeof INPUT_TYPES)[number]

/**
 * The lineage direction of a trace, decided here for client and server alike: the query tools' profiles fix it,
 * MSD reads it from its params (`forward`, else backward). `params` may be raw or parsed.
 */
export function traceDirection(profile: Profile, params?: object): Direction {
  if (profile === 'query_tool') return 'forward'
  if (profile === 'query_tool_reverse') return 'backward'
  return params && 'direction' in params && params.direction === 'forward' ? 'forward' : 'backward'
}

/** Default event domains per profile (MSD depends on direction). */
export function defaultDomains(profile: Profile, direction: Direction = traceDirection(profile)): Domain[] {
  if (profile !== 'mid_section_defect') return ['history', 'materials', 'rejects', 'holds', 'jobs']
  return direction === 'backward' ? ['upstream_history', 'materials'] : ['upstream_history', 'downstream_rejects']
}
