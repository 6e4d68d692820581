/**
 * The seven DW_MES_* tables the pipeline reads, with docs/domain.md's names, and the indexes the pipeline's
 * filters and joins need. One description renders the DDL for every dialect the demo data is loaded into.
 */
export type ColumnType = 'text' | 'int' | 'real' | 'timestamp'

export interface TableSpec {
  readonly name: string
  readonly columns: readonly (readonly [name: string, type: ColumnType])[]
  /** Index name → indexed columns. */
  readonly indexes: Readonly<Record<string, readonly string[]>>
}

export const MES_TABLES: readonly TableSpec[] = [
  {
    name: 'DW_MES_CONTAINER',
    columns: [
      ['CONTAINERID', 'text'],
      ['CONTAINERNAME', 'text'],
      ['MFGORDERNAME', 'text'],
      ['FIRSTNAME', 'text'],
      ['SPLITFROMID', 'text'],
      ['ORIGINALCONTAINERID', 'text'],
      ['OBJECTTYPE', 'text'],
      ['SPECNAME', 'text'],
      ['QTY', 'int'],
      ['PJ_TYPE', 'text'],
      ['PJ_BOP', 'text'],
      ['PRODUCTLINENAME', 'text'],
      ['PRODUCTNAME', 'text'],
      ['PJ_FUNCTION', 'text'],
    ],
    indexes: {
      IX_CONTAINER_ID: ['CONTAINERID'],
      IX_CONTAINER_NAME: ['CONTAINERNAME'],
      IX_CONTAINER_ORDER: ['MFGORDERNAME'],
      IX_CONTAINER_FIRSTNAME: ['FIRSTNAME'],
      IX_CONTAINER_SPLITFROM: ['SPLITFROMID'],
      IX_CONTAINER_ORIGINAL: ['ORIGINALCONTAINERID'],
    },
  },
  {
    name: 'DW_MES_PJ_COMBINEDASSYLOTS',
    columns: [
      ['CONTAINERID', 'text'],
      ['CONTAINERNAME', 'text'],
      ['LOTID', 'text'],
      ['FINISHEDNAME', 'text'],
    ],
    indexes: {
      IX_COMBINED_SOURCE: ['CONTAINERID'],
      IX_COMBINED_TARGET: ['LOTID'],
      IX_COMBINED_FINISHED: ['FINISHEDNAME'],
    },
  },
  {
    name: 'DW_MES_LOTWIPHISTORY',
    columns: [
      ['CONTAINERID', 'text'],
      ['WORKCENTERNAME', 'text'],
      ['EQUIPMENTID', 'text'],
      ['EQUIPMENTNAME', 'text'],
      ['SPECNAME', 'text'],
      ['TRACKINTIMESTAMP', 'timestamp'],
      ['TRACKOUTTIMESTAMP', 'timestamp'],
      ['TRACKINQTY', 'int'],
      ['TRACKOUTQTY', 'int'],
      ['FINISHEDRUNCARD', 'text'],
      ['PJ_WORKORDER', 'text'],
    ],
    indexes: {
      IX_WIP_CID: ['CONTAINERID'],
      IX_WIP_TRACKIN: ['TRACKINTIMESTAMP'],
    },
  },
  {
    name: 'DW_MES_LOTMATERIALSHISTORY',
    columns: [
      ['CONTAINERID', 'text'],
      ['MATERIALPARTNAME', 'text'],
      ['MATERIALLOTNAME', 'text'],
      ['QTYCONSUMED', 'real'],
      ['WORKCENTERNAME', 'text'],
      ['SPECNAME', 'text'],
      ['EQUIPMENTNAME', 'text'],
      ['TXNDATE', 'timestamp'],
    ],
    indexes: { IX_MAT_CID: ['CONTAINERID'] },
  },
  {
    name: 'DW_MES_LOTREJECTHISTORY',
    columns: [
      ['CONTAINERID', 'text'],
      ['WORKCENTERNAME', 'text'],
      ['SPECNAME', 'text'],
      ['LOSSREASONNAME', 'text'],
      ['EQUIPMENTNAME', 'text'],
      ['REJECTCOMMENT', 'text'],
      ['REJECTQTY', 'int'],
      ['STANDBYQTY', 'int'],
      ['QTYTOPROCESS', 'int'],
      ['INPROCESSQTY', 'int'],
      ['PROCESSEDQTY', 'int'],
      ['DEFECTQTY', 'int'],
      ['TXNDATE', 'timestamp'],
    ],
    indexes: { IX_REJ_CID: ['CONTAINERID'], IX_REJ_TXNDATE: ['TXNDATE'] },
  },
  {
    name: 'DW_MES_HOLDRELEASEHISTORY',
    columns: [
      ['CONTAINERID', 'text'],
      ['WORKCENTERNAME', 'text'],
      ['HOLDTXNDATE', 'timestamp'],
      ['HOLDEMP', 'text'],
      ['HOLDEMPDEPTNAME', 'text'],
      ['HOLDREASONNAME', 'text'],
      ['HOLDCOMMENTS', 'text'],
      ['RELEASETXNDATE', 'timestamp'],
      ['RELEASEEMP', 'text'],
      ['RELEASECOMMENTS', 'text'],
      ['NCRID', 'text'],
    ],
    indexes: { IX_HOLD_CID: ['CONTAINERID'] },
  },
  {
    name: 'DW_MES_JOB',
    columns: [
      ['JOBID', 'text'],
      ['RESOURCEID', 'text'],
      ['RESOURCENAME', 'text'],
      ['JOBSTATUS', 'text'],
      ['JOBMODELNAME', 'text'],
      ['JOBORDERNAME', 'text'],
      ['CREATEDATE', 'timestamp'],
      ['COMPLETEDATE', 'timestamp'],
      ['CAUSECODENAME', 'text'],
      ['REPAIRCODENAME', 'text'],
      ['SYMPTOMCODENAME', 'text'],
      ['CONTAINERIDS', 'text'],
      ['CONTAINERNAMES', 'text'],
    ],
    indexes: { IX_JOB_ID: ['JOBID'], IX_JOB_CREATEDATE: ['CREATEDATE'] },
  },
]

const TYPES: Record<'sqlite' | 'postgres' | 'oracle', Record<ColumnType, string>> = {
  sqlite: { text: 'TEXT', int: 'INTEGER', real: 'REAL', timestamp: 'TEXT' },
  postgres: { text: 'TEXT', int: 'BIGINT', real: 'DOUBLE PRECISION', timestamp: 'TIMESTAMP(0)' },
  oracle: { text: 'VARCHAR2(4000)', int: 'NUMBER(19)', real: 'NUMBER', timestamp: 'DATE' },
}

/**
 * DW_MES_JOB's comma-separated CID and name lists, which outgrow a VARCHAR2(4000) for jobs that touched many
 * lots: CLOBs on Oracle.
 */
export const LIST_COLUMNS: readonly string[] = ['CONTAINERIDS', 'CONTAINERNAMES']

/** CREATE TABLE statements (timestamps are ISO 8601 TEXT on SQLite, TIMESTAMP on PostgreSQL, DATE on Oracle). */
export function createTableStatements(dialect: 'sqlite' | 'postgres' | 'oracle'): string[] {
  const types = TYPES[dialect]
  const typeOf = (column: string, type: ColumnType): string =>
    dialect === 'oracle' && LIST_COLUMNS.includes(column) ? 'CLOB' : types[type]
  return MES_TABLES.map(
    (t) => `CREATE TABLE ${t.name} (\n  ${t.columns.map(([c, ty]) => `${c} ${typeOf(c, ty)}`).join(',\n  ')}\n)`,
  )
}

/** CREATE INDEX statements; run after bulk loading. */
export function createIndexStatements(): string[] {
  return MES_TABLES.flatMap((t) =>
    Object.entries(t.indexes).map(([ix, cols]) => `CREATE INDEX ${ix} ON ${t.name} (${cols.join(', ')})`),
  )
}
