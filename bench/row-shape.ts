/**
 * `npm run bench:shape -- [--rows 200000]`
 *
 * What the old clients' row shape costs the server, in rows/s on one core, on `history` rows of the demo's
 * make (15 columns: ids, names, timestamps, quantities, nulls):
 * - the synchronous events body: 1000-row slices serialised as arrays (compact) or as objects;
 * - the job stream: a stored 5000-row chunk sent as it is (compact) or re-encoded with objects, as
 *   job-stream-lines.ts does per chunk.
 * Each case runs three times after a warm-up; the best run is printed.
 */
import { parseArgs } from 'node:util'
import { DOMAIN_COLUMNS } from '../src/shared/domains.ts'
import { rowsToObjects } from '../src/shared/row-shape.ts'
import { encodeLine, toObjectsLine } from '../src/server/jobs/job-stream-lines.ts'

const SLICE = 1000
const CHUNK = 5000
const columns = DOMAIN_COLUMNS.history

function historyRow(i: number): unknown[] {
  const cid = (0x4881000381000000 + i).toString(16).slice(-16)
  const day = String(1 + (i % 28)).padStart(2, '0')
  return [
    cid,
    `GA2601${String(i % 9999).padStart(4, '0')}-A00-001`,
    '焊接_DB',
    `48800000a100${String(i % 9999).padStart(4, '0')}`,
    `DB-${i % 40}`,
    'DB-SPEC',
    `2026-01-${day}T08:00:00`,
    `2026-01-${day}T09:30:00`,
    1000,
    990,
    null,
    `RC-${i % 77}`,
    'DFN1006-2',
    'BOP-1',
    'W2601-0001',
  ]
}

function best(label: string, rows: number, run: () => void): number {
  run()
  let ms = Infinity
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    run()
    ms = Math.min(ms, performance.now() - t0)
  }
  const rate = Math.round(rows / (ms / 1000))
  console.log(`${label.padEnd(44)} ${rate.toLocaleString('en-US').padStart(12)} rows/s`)
  return rate
}

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' } } })
const total = Number(values.rows)
const rows = Array.from({ length: total }, (_, i) => historyRow(i))
const chunks: Buffer[] = []
for (let s = 0, batch = 0; s < total; s += CHUNK, batch++) {
  const slice = rows.slice(s, s + CHUNK)
  chunks.push(Buffer.from(encodeLine({ type: 'records', domain: 'history', batch, count: slice.length, rows: slice })))
}
let sink = 0
const eventsCompact = best('events body, compact (arrays)', total, () => {
  for (let s = 0; s < total; s += SLICE) sink += JSON.stringify(rows.slice(s, s + SLICE)).length
})
const eventsObjects = best('events body, objects', total, () => {
  for (let s = 0; s < total; s += SLICE) sink += JSON.stringify(rowsToObjects(columns, rows.slice(s, s + SLICE))).length
})
const streamCompact = best('job stream, stored chunk as is (compact)', total, () => {
  for (const c of chunks) sink += c.length
})
const streamObjects = best('job stream, chunk re-encoded with objects', total, () => {
  for (const c of chunks) sink += toObjectsLine(c, columns).length
})
const bytes = (shape: 'compact' | 'objects'): number =>
  JSON.stringify(shape === 'compact' ? rows.slice(0, SLICE) : rowsToObjects(columns, rows.slice(0, SLICE))).length /
  SLICE
console.log(`bytes per row: compact ${Math.round(bytes('compact'))}, objects ${Math.round(bytes('objects'))}`)
console.log(JSON.stringify({ rows: total, eventsCompact, eventsObjects, streamCompact, streamObjects, sink: sink > 0 }))
