/**
 * Demo databases for benches, generated once under data/bench/ and reused: one file per (wafer lots, months),
 * with a sidecar `<file>.scale.json` holding what a backward test-station trace of the whole span touches
 * (measured once after generation, by SQL independent of the pipeline).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DEMO_SCALES, demoDateSpan, type DemoOptions } from '../../src/server/demo/demo-options.ts'
import { measureTestStationTrace, type TraceScale } from '../../src/server/demo/trace-check.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
const DIR = join(ROOT, 'data', 'bench')

/** A generated database and what its whole-span backward MSD trace covers. */
export interface BenchDatabase {
  readonly path: string
  readonly options: DemoOptions
  readonly scale: TraceScale
  readonly fileBytes: number
  /** Seconds spent generating it in this run; 0 when it was cached. */
  readonly generatedSeconds: number
}

/**
 * Sizes by target CIDs → wafer lots. The generator gives ~7.1 CIDs per wafer lot in a whole-span backward trace
 * (incident scale: 24,000 lots → ~172 K CIDs), so lots = target ÷ 7.1; the actual count is measured.
 */
export const BENCH_SIZES: Readonly<Record<string, number>> = {
  '1k': 150,
  '2k': 300,
  '10k': 1_400,
  '50k': 7_000,
  '114k': 16_000,
  '500k': 70_000,
}

/** Months of the bench databases. */
export const BENCH_MONTHS = 5

/** A `.tmp` this recent belongs to a generation still running (another bench): wait for it, do not clobber it. */
const LIVE_TMP_MS = 120_000

/** Options of the incident scale with `lots` wafer lots over `months` months. */
export function benchDemoOptions(lots: number, months: number): DemoOptions {
  return { ...DEMO_SCALES.incident, lots, months }
}

/** The MSD params that cover the whole span of a demo database: every lot that reached the test station. */
export function wholeSpanMsdParams(options: DemoOptions): Record<string, unknown> {
  const span = demoDateSpan(options)
  return {
    mode: 'date_range',
    station: '測試',
    start_date: span.firstDay,
    end_date: span.lastDay,
    direction: 'backward',
  }
}

/** Path of the cached database for these options. */
export function benchDatabasePath(options: DemoOptions): string {
  return join(DIR, `demo-${options.lots}-lots-${options.months}-months-seed-${options.seed}.sqlite`)
}

/** Returns the cached database, generating it (progress on stderr) and measuring its trace when missing. */
export async function ensureBenchDatabase(options: DemoOptions): Promise<BenchDatabase> {
  const path = benchDatabasePath(options)
  const scalePath = `${path}.scale.json`
  let generatedSeconds = 0
  await waitForLiveGeneration(path)
  if (!existsSync(path)) {
    const started = performance.now()
    await generate(path, options)
    generatedSeconds = (performance.now() - started) / 1000
  }
  let scale: TraceScale
  if (existsSync(scalePath) && statSync(scalePath).mtimeMs >= statSync(path).mtimeMs) {
    scale = JSON.parse(readFileSync(scalePath, 'utf8')) as TraceScale
  } else {
    scale = measureTestStationTrace(path)
    writeFileSync(scalePath, JSON.stringify(scale, null, 2) + '\n')
  }
  return { path, options, scale, fileBytes: statSync(path).size, generatedSeconds }
}

async function waitForLiveGeneration(path: string): Promise<void> {
  const tmp = `${path}.tmp`
  let announced = false
  while (!existsSync(path) && existsSync(tmp) && Date.now() - statSync(tmp).mtimeMs < LIVE_TMP_MS) {
    if (!announced) process.stderr.write(`waiting for a generation already writing ${tmp}\n`)
    announced = true
    await new Promise((r) => setTimeout(r, 5000))
  }
}

async function generate(path: string, options: DemoOptions): Promise<void> {
  process.stderr.write(
    `generating ${path} (${options.lots} wafer lots, ${options.months} months); cached for later runs\n`,
  )
  const args = [
    '--scale',
    'incident',
    '--lots',
    String(options.lots),
    '--months',
    String(options.months),
    '--seed',
    String(options.seed),
    '--out',
    path,
  ]
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/demo/generate-cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, 'inherit'],
  })
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`demo generation of ${path} failed (exit ${code})`)
}
