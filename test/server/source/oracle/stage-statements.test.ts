/**
 * Every statement the pipeline stages issue, compiled for Oracle and checked against Oracle's rules. The
 * statements come from the stages' own builders (and, where a stage builds them inline, from running the stage
 * on a source that records what it is asked), so a new or changed stage statement is checked here at once.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WORKCENTER_GROUPS } from '../../../../src/shared/workcenter-groups.ts'
import { loadConfig } from '../../../../src/server/config.ts'
import { DOMAIN_QUERIES } from '../../../../src/server/pipeline/events/domain-queries.ts'
import { containersWhere, mergesWhere, serialsOf } from '../../../../src/server/pipeline/lineage-queries.ts'
import { INPUT_LOOKUPS, SERIAL_LOOKUPS } from '../../../../src/server/pipeline/seed-inputs.ts'
import { lookupTokens } from '../../../../src/server/pipeline/seed-lookup.ts'
import {
  detectionsQuery,
  forEachRejectSum,
  msdWindow,
  seedIdsQuery,
} from '../../../../src/server/pipeline/seed-msd-queries.ts'
import { msdEmptyReason } from '../../../../src/server/pipeline/seed-empty-reason.ts'
import { stationDataSpan } from '../../../../src/server/pipeline/station-data-span.ts'
import { msdOptions } from '../../../../src/server/pipeline/msd-options.ts'
import { machineMaintenanceJobs } from '../../../../src/server/analysis/machine-maintenance.ts'
import { MES_TABLES } from '../../../../src/server/source/mes-schema.ts'
import type { Batch, MesSource } from '../../../../src/server/source/mes-source.ts'
import { compileOracle, ORACLE_LIST_MAX } from '../../../../src/server/source/oracle/compile-oracle.ts'
import { raw, sql, type SqlQuery } from '../../../../src/server/source/sql.ts'

const config = loadConfig({})
const CIDS = Array.from({ length: config.TRACE_IN_BATCH_SIZE }, (_, i) => `cid${String(i).padStart(13, '0')}`)

/** A source that answers every statement with no rows and keeps the statements. */
function recordingSource(into: SqlQuery[]): MesSource {
  async function* stream(query: SqlQuery): AsyncGenerator<Batch, void, undefined> {
    into.push(query)
    yield { columns: [], rows: [] }
  }
  return {
    dialect: 'oracle',
    stream,
    all: async (query) => {
      into.push(query)
      return { columns: [], rows: [] }
    },
    ping: async () => {},
    close: async () => {},
  }
}

async function stageStatements(): Promise<Map<string, SqlQuery>> {
  const out = new Map<string, SqlQuery>()
  for (const column of [
    'c.CONTAINERID',
    'c.SPLITFROMID',
    'c.ORIGINALCONTAINERID',
    'c.FIRSTNAME',
    'c.CONTAINERNAME',
  ] as const) {
    out.set(`lineage containers by ${column}`, containersWhere(column, CIDS))
  }
  out.set('lineage merges by source', mergesWhere('source', CIDS))
  out.set('lineage merges by target', mergesWhere('target', CIDS))
  out.set('lineage serials', serialsOf(CIDS))

  const lookups = [
    ...Object.entries(INPUT_LOOKUPS),
    ...SERIAL_LOOKUPS.map((s) => [`serial_number ${s.source}`, s.spec] as const),
  ]
  for (const [name, spec] of lookups) {
    const recorded: SqlQuery[] = []
    await lookupTokens(recordingSource(recorded), spec, ['GA2310001-A01', 'GA_X_1', 'GA23*', 'GD%_1'], { config })
    recorded.forEach((q, i) => out.set(`seed ${name} #${i + 1}`, q))
  }

  for (const group of WORKCENTER_GROUPS) {
    const params = {
      mode: 'date_range',
      station: group.name,
      start_date: '2024-01-01',
      end_date: '2024-05-31',
      direction: 'backward',
    } as const
    const w = msdWindow(params)
    const empty: SqlQuery[] = []
    await msdEmptyReason(recordingSource(empty), params, { config })
    empty.forEach((q, i) => out.set(`msd empty reason at ${group.name} #${i + 1}`, q))
    const span: SqlQuery[] = []
    await stationDataSpan(recordingSource(span), group, { config })
    out.set(`station data span at ${group.name}`, span[0])
    out.set(`msd detections at ${group.name}`, detectionsQuery(w))
    out.set(`msd seed ids at ${group.name}`, seedIdsQuery(w))
    const recorded: SqlQuery[] = []
    await forEachRejectSum(recordingSource(recorded), w, { config }, () => {})
    out.set(`msd reject sums at ${group.name}`, recorded[0])
  }

  for (const [domain, spec] of Object.entries(DOMAIN_QUERIES)) {
    out.set(`events ${domain}`, spec.kind === 'scan' ? spec.query() : spec.query(CIDS))
  }
  const options: SqlQuery[] = []
  await msdOptions(recordingSource(options))
  options.forEach((q, i) => out.set(`msd options #${i + 1}`, q))
  const window = { start: '2024-01-01', end: '2024-06-01' }
  for (const machine of [
    { id: '48800000a1000307', name: 'DB-15' },
    { id: null, name: 'DB-15' },
  ]) {
    const recorded: SqlQuery[] = []
    await machineMaintenanceJobs(recordingSource(recorded), machine, window, 100)
    out.set(`suspect maintenance jobs by ${machine.id === null ? 'name' : 'id'}`, recorded[0])
  }
  for (const table of MES_TABLES)
    out.set(`start-up check of ${table.name}`, sql`SELECT 1 FROM ${raw(table.name)} WHERE 1 = 0`)
  return out
}

const STATEMENTS = await stageStatements()

/** Pipeline files that write SQL with the `sql` tag, relative to src/server/pipeline. */
function filesUsingSqlTag(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUsingSqlTag(path, root)
    return /\bsql`/.test(readFileSync(path, 'utf8')) ? [relative(root, path)] : []
  })
}

describe('Oracle compilation of every stage statement', () => {
  it('covers every pipeline and analysis file that writes SQL (a new one must add its statements here)', () => {
    expect(filesUsingSqlTag(join(import.meta.dirname, '../../../../src/server/pipeline')).sort()).toEqual([
      'events/downstream-rejects.ts',
      'events/history.ts',
      'events/holds.ts',
      'events/jobs.ts',
      'events/materials.ts',
      'events/rejects.ts',
      'events/upstream-history.ts',
      'lineage-queries.ts',
      'msd-options.ts',
      'seed-empty-reason.ts',
      'seed-lookup.ts',
      'seed-msd-queries.ts',
      'station-data-span.ts',
      'workcenter-sql.ts',
    ])
    expect(filesUsingSqlTag(join(import.meta.dirname, '../../../../src/server/analysis'))).toEqual([
      'machine-maintenance.ts',
    ])
    // Each seed lookup issues one exact-match and two pattern statements.
    expect([...STATEMENTS.keys()].filter((k) => k.startsWith('seed ')).length).toBe(
      (Object.keys(INPUT_LOOKUPS).length + SERIAL_LOOKUPS.length) * 3,
    )
  })

  const compiled = [...STATEMENTS.entries()].map(([name, query]) => ({ name, ...compileOracle(query) }))

  it('uses :1…:n binds, each once and in order, and no other placeholder style', () => {
    for (const { name, text, binds } of compiled) {
      const numbers = [...text.matchAll(/:(\d+)\b/g)].map((m) => Number(m[1]))
      expect(numbers, name).toEqual(binds.map((_, i) => i + 1))
      expect(text, name).not.toMatch(/\?|\$\d/)
    }
  })

  it('binds only text, numbers or NULL, never an empty string (Oracle reads it as NULL)', () => {
    for (const { name, binds } of compiled) {
      const unfit = binds.filter((v) => !(v === null || typeof v === 'number' || (typeof v === 'string' && v !== '')))
      expect(unfit, name).toEqual([])
    }
  })

  it('never puts a CID into the SQL text', () => {
    for (const { name, text } of compiled)
      for (const cid of [CIDS[0], CIDS[CIDS.length - 1]]) expect(text, name).not.toContain(cid)
  })

  it('keeps every IN list at 1000 expressions at most', () => {
    for (const { name, text } of compiled) {
      for (const list of text.matchAll(/\bIN\s*\(([^()]*)\)/gi))
        expect(list[1].split(',').length, name).toBeLessThanOrEqual(ORACLE_LIST_MAX)
    }
  })

  it('escapes every bound LIKE pattern with ESCAPE and compares case-insensitively only through UPPER()', () => {
    let likes = 0
    for (const { name, text } of compiled) {
      for (const like of text.matchAll(/\bLIKE\s+:\d+/gi)) {
        likes += 1
        expect(text.slice(like.index + like[0].length).startsWith(" ESCAPE '\\'"), name).toBe(true)
      }
      expect(text, name).not.toMatch(/\bILIKE\b|\bCOLLATE\b/i)
    }
    expect(likes).toBeGreaterThan(0)
  })

  it('uses no syntax Oracle lacks: LIMIT, ::, booleans, table AS alias, quotes, SQLite/PG functions', () => {
    for (const { name, text } of compiled) {
      expect(text, name).not.toMatch(/\bLIMIT\b|\bOFFSET\b/i)
      expect(text, name).not.toMatch(/::/)
      expect(text, name).not.toMatch(/\b(TRUE|FALSE)\b/i)
      expect(text, name).not.toMatch(/\b(FROM|JOIN)\s+[\w.]+\s+AS\s/i)
      expect(text, name).not.toMatch(/\)\s+AS\s+\w+\s+(WHERE|LEFT|JOIN|INNER|ON|ORDER|GROUP)\b/i)
      expect(text, name).not.toMatch(/"/)
      expect(text, name).not.toMatch(/;\s*$/)
      expect(text, name).not.toMatch(
        /\b(julianday|strftime|datetime|date|ifnull|group_concat|string_agg|json_each|unnest|now)\s*\(/i,
      )
    }
  })

  it('does no date arithmetic in SQL (DATE - DATE: days on Oracle, an interval on PostgreSQL)', () => {
    // Window ends are computed in JS (addDays) and hold durations in the mappers, from ISO text.
    for (const { name, text } of compiled) {
      expect(text, name).not.toMatch(/\w*(DATE|TIMESTAMP)\s*[-+]|[-+]\s*\w*(DATE|TIMESTAMP)\b/i)
      expect(text, name).not.toMatch(/\bINTERVAL\b|SYSDATE|CURRENT_/i)
    }
  })

  it('binds date bounds as ISO 8601 text, which the session NLS_DATE_FORMAT reads', () => {
    for (const { name, binds } of compiled) {
      for (const value of binds) {
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value))
          expect(value, name).toMatch(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/)
      }
    }
  })
})
