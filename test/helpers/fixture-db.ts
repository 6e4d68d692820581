/**
 * Small SQLite MES databases built from hand-written rows, for tests that need exact shapes.
 *
 *   const path = createFixtureDb({
 *     DW_MES_CONTAINER: [{ CONTAINERID: fixtureCid(1), CONTAINERNAME: 'GA-1', OBJECTTYPE: 'LOT' }],
 *     DW_MES_LOTWIPHISTORY: [{ CONTAINERID: fixtureCid(1), EQUIPMENTID: 'EQ1', TRACKINTIMESTAMP: '2024-01-01T08:00:00' }],
 *   })
 *   …
 *   removeFixtureDb(path)
 *
 * Every DW_MES_* table of mes-schema.ts is created (empty when no rows are given) with the same DDL and
 * indexes as the demo database. Columns left out of a row are NULL; a column or table name that the schema
 * does not have throws, so a typo cannot silently produce NULLs. Timestamps are ISO 8601 text.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { MES_TABLES, createIndexStatements, createTableStatements } from '../../src/server/source/mes-schema.ts'

export type MesTableName =
  | 'DW_MES_CONTAINER'
  | 'DW_MES_PJ_COMBINEDASSYLOTS'
  | 'DW_MES_LOTWIPHISTORY'
  | 'DW_MES_LOTMATERIALSHISTORY'
  | 'DW_MES_LOTREJECTHISTORY'
  | 'DW_MES_HOLDRELEASEHISTORY'
  | 'DW_MES_JOB'

export type FixtureValue = string | number | null
/** One row: column name → value; missing (or undefined) columns are NULL. */
export type FixtureRow = Readonly<Record<string, FixtureValue | undefined>>
/** Rows per table; tables left out are created empty. */
export type FixtureRows = Partial<Record<MesTableName, readonly FixtureRow[]>>

/** A valid CONTAINERID (16 lowercase hex characters) for a small number: fixtureCid(10) = '000000000000000a'. */
export function fixtureCid(n: number): string {
  return n.toString(16).padStart(16, '0')
}

/** Creates the database in a fresh temp directory and returns the file's path. */
export function createFixtureDb(rows: FixtureRows): string {
  const dir = mkdtempSync(join(tmpdir(), 'mes-fixture-'))
  const path = join(dir, 'mes.sqlite')
  const db = new Database(path)
  try {
    for (const ddl of createTableStatements('sqlite')) db.exec(ddl)
    db.transaction(() => {
      for (const [table, list] of Object.entries(rows) as [MesTableName, readonly FixtureRow[]][]) {
        const spec = MES_TABLES.find((t) => t.name === table)
        if (!spec) throw new Error(`fixture: unknown table ${table}`)
        const columns = spec.columns.map(([c]) => c)
        const insert = db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        )
        for (const row of list) {
          const unknown = Object.keys(row).filter((c) => !columns.includes(c))
          if (unknown.length) throw new Error(`fixture: ${table} has no column ${unknown.join(', ')}`)
          insert.run(columns.map((c) => row[c] ?? null))
        }
      }
    })()
    for (const ddl of createIndexStatements()) db.exec(ddl)
  } finally {
    db.close()
  }
  return path
}

/** Deletes a database made by createFixtureDb (its whole temp directory). */
export function removeFixtureDb(path: string): void {
  rmSync(dirname(path), { recursive: true, force: true })
}
