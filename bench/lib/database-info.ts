/** The SQLite database a bench read: which file, how big, and the rows of each of its tables. */
import { statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import Database from 'better-sqlite3'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** A database as a results file records it. */
export interface DatabaseInfo {
  /** Relative to the project when inside it. */
  readonly path: string
  readonly file_mb: number
  readonly table_rows: Record<string, number>
}

/** Counts every table's rows (a second or two for the incident-scale demo database). */
export function databaseInfo(path: string): DatabaseInfo {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
    const rows: Record<string, number> = {}
    for (const t of tables)
      rows[t] = db
        .prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number
    const rel = relative(ROOT, path)
    return {
      path: rel.startsWith('..') ? path : rel,
      file_mb: Math.round(statSync(path).size / 1048576),
      table_rows: rows,
    }
  } finally {
    db.close()
  }
}
