/**
 * `npm run demo:generate -- [--scale default|incident] [--lots N] [--months M] [--seed S] [--out PATH] [--check]`:
 * regenerates the demo SQLite database, prints progress, then the row count per table and the elapsed
 * time. `--check` also measures what a backward MSD trace of the test station over the data touches.
 * Bad arguments exit with status 2.
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { DEMO_SCALES, demoDateSpan, demoOptionsSchema, type DemoOptions, type DemoScale } from './demo-options.ts'
import { createProgressPrinter } from './progress-printer.ts'
import { writeSqliteDemo } from './sqlite-demo.ts'
import { measureTestStationTrace } from './trace-check.ts'

const USAGE = `usage: npm run demo:generate -- [--scale default|incident] [--lots N] [--months M] [--seed S] [--out PATH] [--check]
  --scale   preset size (default: default = ${DEMO_SCALES.default.lots} wafer lots over ${DEMO_SCALES.default.months} months;
            incident = ${DEMO_SCALES.incident.lots} wafer lots over ${DEMO_SCALES.incident.months} months)
  --lots    number of wafer lots (overrides the preset)
  --months  months of data from ${DEMO_SCALES.default.startDate} (overrides the preset)
  --seed    PRNG seed, 0-4294967295 (default ${DEMO_SCALES.default.seed})
  --out     database file (default MES_DB_PATH)
  --check   measure the backward test-station trace afterwards`

class UsageError extends Error {}

interface CliArgs {
  readonly options: DemoOptions
  readonly out: string
  readonly check: boolean
}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer, got '${text}'`)
  return Number(text)
}

function parse(argv: string[]): CliArgs | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string' },
        lots: { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const v = parsed.values
  if (v.help) return 'help'
  const scale = (v.scale ?? 'default') as DemoScale
  if (!(scale in DEMO_SCALES)) throw new UsageError(`--scale must be default or incident, got '${v.scale}'`)
  const preset = DEMO_SCALES[scale]
  const candidate = {
    ...preset,
    lots: integer('lots', v.lots) ?? preset.lots,
    months: integer('months', v.months) ?? preset.months,
    seed: integer('seed', v.seed) ?? preset.seed,
  }
  const checked = demoOptionsSchema.safeParse(candidate)
  if (!checked.success) {
    throw new UsageError(checked.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '))
  }
  if (v.out !== undefined && v.out.trim() === '') throw new UsageError('--out must not be empty')
  return { options: checked.data, out: v.out ?? loadConfig().MES_DB_PATH, check: v.check }
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs | 'help'
  try {
    args = parse(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`demo:generate: ${err.message}\n${USAGE}\n`)
    return 2
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const { options, out, check } = args
  const span = demoDateSpan(options)
  process.stdout.write(
    `generating ${out}: ${options.lots} wafer lots, ${span.firstDay} … ${span.lastDay}, seed ${options.seed}\n`,
  )
  const started = performance.now()
  const printer = createProgressPrinter()
  let counts: Record<string, number>
  try {
    counts = await writeSqliteDemo(out, options, printer.onProgress)
  } finally {
    printer.finish()
  }
  const seconds = (performance.now() - started) / 1000
  const width = Math.max(...Object.keys(counts).map((t) => t.length))
  for (const [table, n] of Object.entries(counts)) {
    process.stdout.write(`  ${table.padEnd(width)}  ${n.toLocaleString('en-US').padStart(12)}\n`)
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  process.stdout.write(`  ${'total'.padEnd(width)}  ${total.toLocaleString('en-US').padStart(12)}\n`)
  process.stdout.write(`done in ${seconds.toFixed(1)} s\n`)
  if (check) {
    const checkStarted = performance.now()
    const scale = measureTestStationTrace(out)
    process.stdout.write(
      `backward test-station trace: ${scale.detectionRows.toLocaleString('en-US')} detection rows, ` +
        `${scale.seedLots.toLocaleString('en-US')} seed lots, ${scale.lineageCids.toLocaleString('en-US')} CIDs after lineage, ` +
        `${scale.historyRows.toLocaleString('en-US')} history rows (${((performance.now() - checkStarted) / 1000).toFixed(1)} s)\n`,
    )
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`demo:generate failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
