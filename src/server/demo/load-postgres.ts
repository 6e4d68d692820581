/**
 * Loads the generated demo MES data into PostgreSQL: the same generator as the SQLite demo, so both
 * databases hold the same rows. Everything is built in a staging schema (tables, COPY, indexes, ANALYZE) and
 * swapped into the target schema in one transaction at the end, so a reload is idempotent, readers never see
 * half-loaded tables, and an interrupted load leaves the previous data in place.
 */
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Writable } from 'node:stream'
import { once } from 'node:events'
import { MES_TABLES, createIndexStatements, createTableStatements } from '../source/mes-schema.ts'
import { DEMO_DEFAULTS, type DemoOptions } from './demo-options.ts'
import { generateDemo, type DemoProgress, type DemoSink } from './generate-demo.ts'

export interface PostgresLoadOptions {
  /** postgres:// URL of the database to load into. */
  readonly url: string
  /** Schema that receives the DW_MES_* tables (created if missing); default `public`. */
  readonly schema?: string
  /** What to generate; default DEMO_DEFAULTS. */
  readonly demo?: DemoOptions
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,49}$/

/**
 * Generates the demo data and loads it into `schema`, replacing the DW_MES_* tables there. Returns the rows
 * loaded per table. Progress phases: `generate` (wafer lots, while COPY runs), `index`, `analyze`, `swap`.
 */
export async function loadPostgresDemo(
  options: PostgresLoadOptions,
  onProgress?: (p: DemoProgress) => void,
): Promise<Record<string, number>> {
  const schema = options.schema ?? 'public'
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name '${schema}': use lower-case letters, digits and _`)
  const staging = `${schema}_demo_loading`
  const admin = await connect(options.url, staging)
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${staging} CASCADE`)
    await admin.query(`CREATE SCHEMA ${staging}`)
    for (const ddl of createTableStatements('postgres')) await admin.query(ddl)

    const counts = await copyAll(options.url, staging, options.demo ?? DEMO_DEFAULTS, onProgress)

    const indexes = createIndexStatements()
    for (const [i, ddl] of indexes.entries()) {
      onProgress?.({ phase: 'index', done: i, total: indexes.length })
      await admin.query(ddl)
    }
    onProgress?.({ phase: 'index', done: indexes.length, total: indexes.length })
    for (const [i, table] of MES_TABLES.entries()) {
      onProgress?.({ phase: 'analyze', done: i, total: MES_TABLES.length })
      await admin.query(`ANALYZE ${table.name}`)
    }
    onProgress?.({ phase: 'analyze', done: MES_TABLES.length, total: MES_TABLES.length })

    onProgress?.({ phase: 'swap', done: 0, total: 1 })
    await swapInto(admin, staging, schema)
    onProgress?.({ phase: 'swap', done: 1, total: 1 })
    return counts
  } catch (err) {
    await admin.query(`DROP SCHEMA IF EXISTS ${staging} CASCADE`).catch(() => {})
    throw err
  } finally {
    await admin.end().catch(() => {})
  }
}

async function connect(url: string, schema: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'mes-trace-demo-load',
    options: `-c search_path=${schema}`,
  })
  // Failures surface through the running query; the event would otherwise crash the process.
  client.on('error', () => {})
  await client.connect()
  return client
}

/**
 * One connection and one open COPY per table, fed as the generator flushes: the tables load in parallel
 * on the server, and awaiting each write's drain keeps the generator no further ahead than one batch.
 */
async function copyAll(
  url: string,
  staging: string,
  demo: DemoOptions,
  onProgress?: (p: DemoProgress) => void,
): Promise<Record<string, number>> {
  const clients: pg.Client[] = []
  const streams = new Map<string, Writable>()
  try {
    for (const table of MES_TABLES) {
      const client = await connect(url, staging)
      clients.push(client)
      const columns = table.columns.map(([name]) => name).join(', ')
      streams.set(table.name, client.query(copyFrom(`COPY ${table.name} (${columns}) FROM STDIN`)))
    }
    const failed = new Promise<never>((_, reject) => {
      for (const stream of streams.values()) stream.once('error', reject)
    })
    failed.catch(() => {})
    const sink: DemoSink = {
      async write(table, rows) {
        const stream = streams.get(table)
        if (stream === undefined) throw new Error(`unknown demo table ${table}`)
        if (!stream.write(copyText(rows))) await Promise.race([once(stream, 'drain'), failed])
      },
    }
    const counts = await Promise.race([generateDemo(demo, sink, onProgress), failed])
    await Promise.race([
      Promise.all([...streams.values()].map((s) => new Promise<void>((resolve) => s.end(resolve)))),
      failed,
    ])
    return counts
  } finally {
    for (const stream of streams.values()) if (!stream.writableFinished) stream.destroy()
    await Promise.all(clients.map((c) => c.end().catch(() => {})))
  }
}

/** Replaces the target's DW_MES_* tables by the staged ones (indexes and statistics move with them). */
async function swapInto(admin: pg.Client, staging: string, schema: string): Promise<void> {
  await admin.query('BEGIN')
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    for (const table of MES_TABLES) {
      await admin.query(`DROP TABLE IF EXISTS ${schema}.${table.name} CASCADE`)
      await admin.query(`ALTER TABLE ${staging}.${table.name} SET SCHEMA ${schema}`)
    }
    await admin.query(`DROP SCHEMA ${staging}`)
    await admin.query('COMMIT')
  } catch (err) {
    await admin.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/** Rows in COPY's text format: tab-separated, `\N` for NULL, backslash escapes for the special characters. */
export function copyText(rows: readonly (readonly unknown[])[]): string {
  let out = ''
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t'
      out += copyValue(row[i])
    }
    out += '\n'
  }
  return out
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot load non-finite number ${value}`)
    return String(value)
  }
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, escapeChar)
  throw new Error(`cannot load a ${typeof value} value into PostgreSQL`)
}

function escapeChar(c: string): string {
  switch (c) {
    case '\t':
      return '\\t'
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    default:
      return '\\\\'
  }
}
