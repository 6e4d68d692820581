/** Readable headers and starting widths for MES column names (the CSV keeps the real names). */

const LABELS: Readonly<Record<string, string>> = {
  CONTAINERID: 'Container ID',
  CONTAINERNAME: 'Lot',
  WORKCENTERNAME: 'Workcenter',
  WORKCENTER_GROUP: 'Workcenter group',
  EQUIPMENTID: 'Equipment ID',
  EQUIPMENTNAME: 'Equipment',
  SPECNAME: 'Spec',
  TRACKINTIMESTAMP: 'Track-in',
  TRACKOUTTIMESTAMP: 'Track-out',
  TRACKINQTY: 'Qty in',
  TRACKOUTQTY: 'Qty out',
  FINISHEDRUNCARD: 'Run card',
  PJ_WORKORDER: 'Work order',
  PJ_TYPE: 'Type',
  PJ_BOP: 'BOP',
  WAFER_LOT_ID: 'Wafer lot',
  MATERIALPARTNAME: 'Material part',
  MATERIALLOTNAME: 'Material lot',
  QTYCONSUMED: 'Qty consumed',
  TXNDATE: 'Txn date',
  LOSSREASONNAME: 'Loss reason',
  REJECTCOMMENT: 'Reject comment',
  REJECT_QTY: 'Reject qty',
  STANDBY_QTY: 'Standby qty',
  QTYTOPROCESS_QTY: 'Qty to process',
  INPROCESS_QTY: 'In-process qty',
  PROCESSED_QTY: 'Processed qty',
  WORKCENTERSEQUENCE_GROUP: 'Group order',
  PRODUCTLINENAME: 'Product line',
  PRODUCTNAME: 'Product',
  PJ_FUNCTION: 'Function',
  TXN_TIME: 'Txn time',
  TXN_DAY: 'Txn day',
  CONTAINERIDS: 'Job container IDs',
  CONTAINERNAMES: 'Job lots',
  REJECT_TOTAL_QTY: 'Reject total',
  DEFECT_QTY: 'Defect qty',
  HOLDTXNDATE: 'Hold date',
  HOLDEMP: 'Held by',
  HOLDEMPDEPTNAME: 'Holder dept',
  HOLDREASONNAME: 'Hold reason',
  HOLDCOMMENTS: 'Hold comments',
  RELEASETXNDATE: 'Release date',
  RELEASEEMP: 'Released by',
  RELEASECOMMENTS: 'Release comments',
  NCRID: 'NCR',
  HOLD_STATUS: 'Hold status',
  HOLD_HOURS: 'Hold hours',
  JOBID: 'Job ID',
  RESOURCEID: 'Resource ID',
  RESOURCENAME: 'Resource',
  JOBSTATUS: 'Job status',
  JOBMODELNAME: 'Job model',
  JOBORDERNAME: 'Job order',
  CREATEDATE: 'Created',
  COMPLETEDATE: 'Completed',
  CAUSECODENAME: 'Cause',
  REPAIRCODENAME: 'Repair',
  SYMPTOMCODENAME: 'Symptom',
  PARENT_NAME: 'Parent',
  PARENT_TYPE: 'Parent type',
  RELATION: 'Relation',
  CHILD_NAME: 'Child',
  CHILD_TYPE: 'Child type',
  CHILD_SERIALS: 'Serial numbers',
  PARENT_ID: 'Parent ID',
  CHILD_ID: 'Child ID',
}

/** The header shown for a column: a known label, else the name in words ("SOME_NAME" → "Some name"). */
export function columnLabel(name: string): string {
  const known = LABELS[name]
  if (known) return known
  const words = name.replace(/_/g, ' ').toLowerCase().trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Starting width in px, by what the column usually holds. */
export function columnWidth(name: string): number {
  if (/(TIMESTAMP|DATE)$/.test(name)) return 162
  if (/QTY|HOURS|COUNT/.test(name)) return 96
  if (/COMMENT/.test(name)) return 220
  if (name.endsWith('ID')) return 152
  if (name.endsWith('NAME') || name === 'WAFER_LOT_ID' || name === 'PJ_WORKORDER') return 164
  return Math.max(110, Math.min(200, columnLabel(name).length * 8 + 40))
}
