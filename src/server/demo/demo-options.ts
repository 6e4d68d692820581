/**
 * What the demo generator is asked for: seed, number of wafer lots, months and first day; the two named
 * scales; and the date span the generated data falls into (so the UI and tests can pick a valid MSD range).
 */
import { z } from 'zod'
import { formatDay, toSeconds } from './names.ts'

/** Options of one generation run; validated by `demoOptionsSchema`. */
export interface DemoOptions {
  /** PRNG seed (0 … 2^32 − 1); the same seed gives the same data. */
  readonly seed: number
  /** Number of incoming wafer lots; every other count follows from it. */
  readonly lots: number
  /** Months of plant activity covered, from `startDate`. */
  readonly months: number
  /** First day of the data, `YYYY-MM-DD`. */
  readonly startDate: string
}

/** Validation of DemoOptions (bounds keep a typo from generating for hours). */
export const demoOptionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  lots: z.number().int().min(1).max(200_000),
  months: z.number().int().min(1).max(24),
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && formatDay(toSeconds(d)) === d, 'not a calendar day'),
})

/** The default database (`npm start` generates it on first start): 300 wafer lots over 3 months. */
export const DEMO_DEFAULTS: DemoOptions = Object.freeze({ seed: 1, lots: 300, months: 3, startDate: '2026-01-01' })

/** Named sizes for `--scale`. */
export type DemoScale = 'default' | 'incident'

/**
 * `incident` reproduces the scale of the OOM incident: a backward MSD trace of the test station over the
 * five months reaches more than 114 K CIDs and more than 3 M history rows.
 */
export const DEMO_SCALES: Readonly<Record<DemoScale, DemoOptions>> = Object.freeze({
  default: DEMO_DEFAULTS,
  incident: Object.freeze({ ...DEMO_DEFAULTS, lots: 24_000, months: 5 }),
})

/** First and last day (inclusive, `YYYY-MM-DD`) that generated timestamps can fall on. */
export interface DemoDateSpan {
  readonly firstDay: string
  readonly lastDay: string
}

/** Span start and end (exclusive) in seconds; every generated timestamp lies in [start, end). */
export function spanSeconds(options: DemoOptions): { start: number; end: number } {
  const [y, m, d] = options.startDate.split('-').map(Number)
  return { start: toSeconds(options.startDate), end: Date.UTC(y, m - 1 + options.months, d) / 1000 }
}

/** The days the generated data covers: a valid MSD date range for these options. */
export function demoDateSpan(options: DemoOptions): DemoDateSpan {
  const { start, end } = spanSeconds(options)
  return { firstDay: formatDay(start), lastDay: formatDay(end - 86_400) }
}
