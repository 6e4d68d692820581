/**
 * Writes the demo data into a SQLite file. The database is built in `<path>.tmp` and renamed into place
 * only when complete, so an interrupted run never leaves a half database behind.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { log } from '../logger.ts'
import { MES_TABLES, createIndexStatements, createTableStatements } from '../source/mes-schema.ts'
import { DEMO_DEFAULTS, type DemoOptions } from './demo-options.ts'
import { generateDemo, type DemoProgress, type DemoSink } from './generate-demo.ts'

/** Rows bound per INSERT statement: fewer native calls than one statement per row. */
const ROWS_PER_INSERT = 50

type Db = InstanceType<typeof Database>
type Statement = ReturnType<Db['prepare']>

function sqliteSink(db: Db): DemoSink {
  const inserts = new Map<string, { one: Statement; many: Statement; params: unknown[] }>()
  for (const table of MES_TABLES) {
    const tuple = `(${table.columns.map(() => '?').join(', ')})`
    const head = `INSERT INTO ${table.name} VALUES `
    inserts.set(table.name, {
      one: db.prepare(head + tuple),
      many: db.prepare(head + Array.from({ length: ROWS_PER_INSERT }, () => tuple).join(', ')),
      // Reused for every multi-row INSERT: millions of rows would otherwise allocate one array per statement.
      params: new Array<unknown>(ROWS_PER_INSERT * table.columns.length),
    })
  }
  const insertRows = db.transaction((table: string, rows: unknown[][]) => {
    const insert = inserts.get(table)
    if (!insert) throw new Error(`unknown demo table ${table}`)
    const { one, many, params } = insert
    let i = 0
    for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
      let p = 0
      for (let r = i; r < i + ROWS_PER_INSERT; r++) for (const value of rows[r]) params[p++] = value
      many.run(params)
    }
    for (; i < rows.length; i++) one.run(rows[i])
  })
  return { write: (table, rows) => insertRows(table, rows) }
}

/**
 * Generates the demo database at `path` (replacing any file there) and returns the row counts per table.
 * Progress phases: `generate` (wafer lots), `index` (index statements), `analyze`.
 */
export async function writeSqliteDemo(
  path: string,
  options: DemoOptions = DEMO_DEFAULTS,
  onProgress?: (p: DemoProgress) => void,
): Promise<Record<string, number>> {
  const tmp = `${path}.tmp`
  mkdirSync(dirname(path), { recursive: true })
  rmSync(tmp, { force: true })
  const db = new Database(tmp)
  try {
    // Nothing to protect while the file is still .tmp: skip the journal and fsyncs. better-sqlite3's
    // defensive mode silently keeps the journal on unless unsafe mode is enabled for this connection.
    db.unsafeMode(true)
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.pragma('cache_size = -8000')
    for (const ddl of createTableStatements('sqlite')) db.exec(ddl)
    const counts = await generateDemo(options, sqliteSink(db), onProgress)
    const indexes = createIndexStatements()
    indexes.forEach((ddl, i) => {
      onProgress?.({ phase: 'index', done: i, total: indexes.length })
      db.exec(ddl)
    })
    onProgress?.({ phase: 'index', done: indexes.length, total: indexes.length })
    onProgress?.({ phase: 'analyze', done: 0, total: 1 })
    db.exec('ANALYZE')
    onProgress?.({ phase: 'analyze', done: 1, total: 1 })
    db.close()
    renameSync(tmp, path)
    return counts
  } catch (err) {
    if (db.open) db.close()
    rmSync(tmp, { force: true })
    throw err
  }
}

/**
 * Makes sure the demo database exists: generates the default size when `path` is missing. Returns
 * whether it generated (false when the file was already there).
 */
export async function ensureDemoDatabase(path: string, onProgress?: (p: DemoProgress) => void): Promise<boolean> {
  if (existsSync(path)) return false
  log.info('demo database missing, generating', { path, ...DEMO_DEFAULTS })
  const started = performance.now()
  const counts = await writeSqliteDemo(path, DEMO_DEFAULTS, onProgress)
  log.info('demo database generated', { path, seconds: Math.round((performance.now() - started) / 100) / 10, counts })
  return true
}
