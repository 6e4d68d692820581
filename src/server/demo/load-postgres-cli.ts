/**
 * `npm run demo:load-postgres -- --url postgres://… [--scale default|incident] [--lots N] [--months M] [--seed S]
 * [--schema NAME]`: generates the demo data and loads it into PostgreSQL with COPY, printing progress, then the
 * row count per table and the load rate. `--url` defaults to MES_DATABASE_URL. Bad arguments exit with status 2.
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { DEMO_SCALES, demoDateSpan, demoOptionsSchema, type DemoOptions, type DemoScale } from './demo-options.ts'
import { loadPostgresDemo } from './load-postgres.ts'
import { createProgressPrinter } from './progress-printer.ts'

const USAGE = `usage: npm run demo:load-postgres -- --url postgres://USER@HOST:PORT/DB [--scale default|incident] [--lots N] [--months M] [--seed S] [--schema NAME]
  --url     database to load into (default MES_DATABASE_URL)
  --scale   preset size (default: default = ${DEMO_SCALES.default.lots} wafer lots over ${DEMO_SCALES.default.months} months;
            incident = ${DEMO_SCALES.incident.lots} wafer lots over ${DEMO_SCALES.incident.months} months)
  --lots    number of wafer lots (overrides the preset)
  --months  months of data from ${DEMO_SCALES.default.startDate} (overrides the preset)
  --seed    PRNG seed, 0-4294967295 (default ${DEMO_SCALES.default.seed})
  --schema  schema receiving the DW_MES_* tables, replaced if present (default public)`

class UsageError extends Error {}

interface CliArgs {
  readonly url: string
  readonly schema: string
  readonly demo: DemoOptions
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
        url: { type: 'string' },
        scale: { type: 'string' },
        lots: { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        schema: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const v = parsed.values
  if (v.help) return 'help'
  const url = v.url ?? loadConfig().MES_DATABASE_URL
  if (url === undefined) throw new UsageError('--url is required (or set MES_DATABASE_URL)')
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new UsageError(`--url must start with postgres:// or postgresql://`)
  const schema = v.schema ?? 'public'
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(schema)) {
    throw new UsageError(`--schema must be lower-case letters, digits and _ (at most 50), got '${schema}'`)
  }
  const scale = (v.scale ?? 'default') as DemoScale
  if (!(scale in DEMO_SCALES)) throw new UsageError(`--scale must be default or incident, got '${v.scale}'`)
  const preset = DEMO_SCALES[scale]
  const checked = demoOptionsSchema.safeParse({
    ...preset,
    lots: integer('lots', v.lots) ?? preset.lots,
    months: integer('months', v.months) ?? preset.months,
    seed: integer('seed', v.seed) ?? preset.seed,
  })
  if (!checked.success) {
    throw new UsageError(checked.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '))
  }
  return { url, schema, demo: checked.data }
}

/** The URL without its password, for printing. */
function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/i, '$1:***@')
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs | 'help'
  try {
    args = parse(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`demo:load-postgres: ${err.message}\n${USAGE}\n`)
    return 2
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const { url, schema, demo } = args
  const span = demoDateSpan(demo)
  process.stdout.write(
    `loading ${redact(url)} schema ${schema}: ${demo.lots} wafer lots, ${span.firstDay} … ${span.lastDay}, seed ${demo.seed}\n`,
  )
  const started = performance.now()
  const printer = createProgressPrinter()
  let counts: Record<string, number>
  try {
    counts = await loadPostgresDemo({ url, schema, demo }, printer.onProgress)
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
  process.stdout.write(
    `done in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)\n`,
  )
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`demo:load-postgres failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
