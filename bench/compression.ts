/**
 * `npm run bench:compression -- [--lots 1400]`
 *
 * What compressing the results costs and saves, at the 10 K-CID size of `npm run bench` (1,400 lots): one
 * backward MSD trace of the whole span run by the real server (through tsx, embedded worker), then
 * - bytes at rest per row: the stored chunks (gzip members) against the same chunks plain;
 * - bytes on the wire per row: the job stream read once with `Accept-Encoding: gzip` and once without, counted
 *   before any decoding, with the web process's CPU seconds per million rows for each read (the plain read
 *   decompresses the stored chunks; the gzip one splices them);
 * - the worker's CPU seconds per million rows to compress the chunks, at gzip levels 1, 6 and 9, measured on the
 *   job's own chunks (decompressed first) in this process, one chunk at a time as the worker does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { gzipMember } from '../src/server/storage/chunk-gzip.ts'
import type { ResultMeta } from '../src/server/storage/result-store.ts'
import { COMPACT_ACCEPT_NDJSON } from '../src/shared/row-shape.ts'
import { benchDemoOptions, ensureBenchDatabase, wholeSpanMsdParams } from './lib/bench-databases.ts'
import { codeVersion } from './lib/code-version.ts'
import { machineInfo } from './lib/machine-info.ts'
import { startProductServer } from './lib/product-server.ts'

const ROOT = resolve(import.meta.dirname, '..')
const LEVELS = [1, 6, 9]
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100

/** utime + stime of a process, seconds. */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS
}

/** Reads `url` to its end with the given Accept-Encoding; resolves to the bytes received as sent. */
function readRaw(url: string, acceptEncoding: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      { headers: { Accept: COMPACT_ACCEPT_NDJSON, 'Accept-Encoding': acceptEncoding } },
      (res) => {
        let bytes = 0
        res.on('data', (d: Buffer) => (bytes += d.length))
        res.on('end', () => done({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }))
        res.on('error', fail)
      },
    )
    req.on('error', fail)
    req.end()
  })
}

const perRow = (bytes: number, rows: number): string => (bytes / rows).toFixed(1)
const perMillion = (seconds: number, rows: number): string => ((seconds * 1e6) / rows).toFixed(2)

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lots: { type: 'string', default: '1400' } } })
  const db = await ensureBenchDatabase(benchDemoOptions(Number(values.lots), 5))
  const work = mkdtempSync(join(ROOT, 'data', '.bench-compression-'))
  const resultDir = join(work, 'results')
  const server = await startProductServer('tsx', {
    MES_DB_PATH: db.path,
    MES_DATABASE_URL: '',
    REDIS_URL: '',
    TRACE_WORKER_CONCURRENCY: '1',
    TRACE_JOB_DIR: join(work, 'jobs'),
    TRACE_RESULT_DIR: resultDir,
    LOG_LEVEL: 'warn',
  })
  try {
    const submit = await fetch(`${server.url}/api/trace/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: 'mid_section_defect', params: wholeSpanMsdParams(db.options) }),
    })
    if (submit.status !== 202) throw new Error(`submit answered ${submit.status}: ${await submit.text()}`)
    const { job_id } = (await submit.json()) as { job_id: string }
    for (;;) {
      const status = (await (await fetch(`${server.url}/api/trace/job/${job_id}`)).json()) as { status: string }
      if (status.status === 'finished') break
      if (status.status !== 'queued' && status.status !== 'started') throw new Error(`job ${status.status}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    const dir = join(resultDir, job_id)
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ResultMeta
    const rows = Object.values(meta.domains).reduce((n, d) => n + (d?.count ?? 0), 0)
    const names = readdirSync(dir).filter((n) => n.endsWith('.ndjson.gz'))
    const stored = names.map((n) => readFileSync(join(dir, n)))
    const plain = stored.map((b) => gunzipSync(b))
    const restGzip = names.reduce((n, name) => n + statSync(join(dir, name)).size, 0)
    const restPlain = plain.reduce((n, b) => n + b.length, 0)

    const wire: Record<string, { bytes: number; cpu: number }> = {}
    // Each read twice, the second one kept: the first warms the web process up (JIT) for both.
    for (const [name, accept] of [
      ['plain', 'identity'],
      ['gzip', 'gzip, deflate, br'],
      ['plain', 'identity'],
      ['gzip', 'gzip, deflate, br'],
    ] as const) {
      const cpu0 = processCpuSeconds(server.pid)
      const read = await readRaw(`${server.url}/api/trace/job/${job_id}/stream?shape=compact`, accept)
      if ((read.encoding === 'gzip') !== (name === 'gzip')) throw new Error(`${name} read came as ${read.encoding}`)
      wire[name] = { bytes: read.bytes, cpu: processCpuSeconds(server.pid) - cpu0 }
    }

    const levels: { level: number; bytes: number; cpu: number }[] = []
    for (const level of LEVELS) {
      const cpu0 = process.cpuUsage()
      let bytes = 0
      for (const chunk of plain) bytes += (await gzipMember(chunk, level)).length
      const used = process.cpuUsage(cpu0)
      levels.push({ level, bytes, cpu: (used.user + used.system) / 1e6 })
    }

    const gunzipStart = process.cpuUsage()
    for (const chunk of stored) gunzipSync(chunk)
    const gunzipUsed = process.cpuUsage(gunzipStart)
    const gunzipCpu = (gunzipUsed.user + gunzipUsed.system) / 1e6

    const version = codeVersion()
    const machine = machineInfo()
    console.log(
      `bench:compression — ${db.scale.lineageCids} CIDs, ${rows} rows in ${names.length} chunks; commit ${version.commit}` +
        `${version.uncommitted_changes ? ' (uncommitted changes)' : ''}; ${machine.cpu_model}, ${machine.cores} cores, Node ${machine.node}`,
    )
    console.log('')
    console.log('| | plain | gzip | ratio |')
    console.log('|---|---:|---:|---:|')
    console.log(
      `| bytes at rest per row | ${perRow(restPlain, rows)} | ${perRow(restGzip, rows)} | ${(restPlain / restGzip).toFixed(1)} × |`,
    )
    console.log(
      `| bytes on the wire per row (stream) | ${perRow(wire.plain.bytes, rows)} | ${perRow(wire.gzip.bytes, rows)} | ${(wire.plain.bytes / wire.gzip.bytes).toFixed(1)} × |`,
    )
    console.log(
      `| web process CPU s per M rows streamed | ${perMillion(wire.plain.cpu, rows)} | ${perMillion(wire.gzip.cpu, rows)} | |`,
    )
    console.log('')
    console.log('| gzip level | bytes per row at rest | worker CPU s per M rows to compress |')
    console.log('|---:|---:|---:|')
    for (const l of levels) console.log(`| ${l.level} | ${perRow(l.bytes, rows)} | ${perMillion(l.cpu, rows)} |`)
    console.log('')
    console.log(
      `Decompressing the stored chunks for a client without gzip: ${perMillion(gunzipCpu, rows)} CPU s per M rows.`,
    )
  } finally {
    await server.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
