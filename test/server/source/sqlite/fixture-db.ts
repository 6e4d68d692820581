/** Real SQLite files for the source tests, in a temp dir removed by the caller. */
import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh temp directory. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mes-trace-sqlite-'))
}

/** The 16-hex CID of row `i`, as the fixture table stores it. */
export function cidOf(i: number): string {
  return i.toString(16).padStart(16, '0')
}

/**
 * Writes table T(ID 1..rows, CID = cidOf(ID), Q = a scrambled number, TS = ISO text) and a tiny table
 * SMALL(ID 1..smallRows) for cross joins.
 */
export function createNumbersDb(path: string, rows: number, smallRows = 1500): void {
  const db = new Database(path)
  try {
    db.exec('CREATE TABLE T (ID INTEGER PRIMARY KEY, CID TEXT NOT NULL, Q INTEGER NOT NULL, TS TEXT NOT NULL)')
    db.exec('CREATE INDEX IX_T_CID ON T (CID)')
    db.exec('CREATE TABLE SMALL (ID INTEGER PRIMARY KEY)')
    const fill = (table: string, cols: string, n: number) =>
      db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT INTO ${table} SELECT ${cols} FROM n`,
        )
        .run(n)
    fill('T', "i, printf('%016x', i), (i * 7919) % 10007, '2024-01-01T08:30:00'", rows)
    fill('SMALL', 'i', smallRows)
  } finally {
    db.close()
  }
}
