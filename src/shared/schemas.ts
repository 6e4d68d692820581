/**
 * Request bodies of every route, validated at the edge by the server and before sending by the client.
 * One definition each: import the inferred types, never retype them.
 */
import { z } from 'zod'
import { DOMAINS, INPUT_TYPES, PROFILE_INPUT_TYPES, PROFILES } from './domains.ts'
import { rowShapeQuerySchema } from './row-shape.ts'
import { splitTokens } from './tokens.ts'
import { DEFAULT_DETECTION_STATION } from './workcenter-groups.ts'

/** A CID: 16 lowercase hex characters. */
export const containerIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a CONTAINERID is 16 lowercase hex characters')

export const profileSchema = z.enum(PROFILES, { error: 'profile must be one of ' + PROFILES.join(', ') })
export const directionSchema = z.enum(['forward', 'backward'])
export const inputTypeSchema = z.enum(INPUT_TYPES)

/** Pasted values: one string (newline/comma/semicolon separated) or a list; at least one token. */
export const valuesSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => splitTokens(v))
  .refine((tokens) => tokens.length > 0, { message: 'values must contain at least one non-blank token' })

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s),
    'not a real calendar date',
  )

/** The longest MSD date range, in days. */
export const MSD_MAX_RANGE_DAYS = 365

/** Loss reasons as a list or as the old page's comma-separated string (`''` = none); blanks dropped. */
export const lossReasonsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((r) => r.trim()).filter((r) => r.length > 0))

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * The old system's request forms, rewritten into the current ones before validation: `resolve_type` (the old
 * name of `input_type`), `date_range: [start, end]` (beside `start_date`/`end_date`), and MSD params without a
 * `mode` (the old page sent none for a date range). The current field wins when both are given.
 */
export function normaliseOldParams(params: unknown, profile?: z.infer<typeof profileSchema>): unknown {
  if (!isPlainObject(params)) return params
  const out: Record<string, unknown> = { ...params }
  if (out.input_type === undefined && out.resolve_type !== undefined) out.input_type = out.resolve_type
  delete out.resolve_type
  if (Array.isArray(out.date_range)) {
    out.start_date ??= out.date_range[0]
    out.end_date ??= out.date_range[1]
  }
  delete out.date_range
  if (profile === 'mid_section_defect' && out.mode === undefined) {
    out.mode = out.start_date !== undefined || out.end_date !== undefined ? 'date_range' : 'container'
  }
  return out
}

/** Seed params of the forward and reverse query tools. */
export const lookupParamsSchema = z.object({
  input_type: inputTypeSchema,
  values: valuesSchema,
})

/** MSD: every lot that tracked in at a detection station in a date range. */
export const msdDateRangeParamsSchema = z
  .object({
    mode: z.literal('date_range'),
    station: z.string().trim().min(1).default(DEFAULT_DETECTION_STATION),
    start_date: isoDate,
    end_date: isoDate,
    direction: directionSchema.default('backward'),
    loss_reasons: lossReasonsSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const days = (Date.parse(p.end_date) - Date.parse(p.start_date)) / 86_400_000
    if (days < 0) ctx.addIssue({ code: 'custom', message: 'end_date is before start_date', path: ['end_date'] })
    else if (days > MSD_MAX_RANGE_DAYS)
      ctx.addIssue({
        code: 'custom',
        message: `date range is ${days} days; at most ${MSD_MAX_RANGE_DAYS}`,
        path: ['end_date'],
      })
  })

/** MSD on an explicit container list. */
export const msdContainerParamsSchema = z.object({
  mode: z.literal('container'),
  input_type: z.enum(['lot_id', 'wafer_lot', 'work_order']).default('lot_id'),
  values: valuesSchema,
  direction: directionSchema.default('backward'),
  station: z.string().trim().min(1).default(DEFAULT_DETECTION_STATION),
  loss_reasons: lossReasonsSchema.optional(),
})

export const msdParamsSchema = z.discriminatedUnion('mode', [msdDateRangeParamsSchema, msdContainerParamsSchema])

export type LookupParams = z.infer<typeof lookupParamsSchema>
export type MsdParams = z.infer<typeof msdParamsSchema>
export type MsdDateRangeParams = z.infer<typeof msdDateRangeParamsSchema>

/** POST /api/trace/seed-resolve (params are checked against the profile by `parseSeedParams`). */
export const seedResolveRequestSchema = z.object({
  profile: profileSchema,
  params: z.record(z.string(), z.unknown()),
})
export type SeedResolveRequest = z.infer<typeof seedResolveRequestSchema>

/** Seed params resolved against the profile: the discriminated form the pipeline takes. */
export type SeedParams =
  | { profile: 'query_tool' | 'query_tool_reverse'; params: LookupParams }
  | { profile: 'mid_section_defect'; params: MsdParams }

/**
 * Validates `params` for a profile (old request forms included, see normaliseOldParams); returns zod's result
 * so callers map issues to their own error. The parsed value holds only the known fields: store that, never
 * the raw params.
 */
export function parseSeedParams(
  profile: z.infer<typeof profileSchema>,
  rawParams: unknown,
): { success: true; data: SeedParams } | { success: false; error: z.ZodError } {
  const params = normaliseOldParams(rawParams, profile)
  if (profile === 'mid_section_defect') {
    const r = msdParamsSchema.safeParse(params)
    return r.success ? { success: true, data: { profile, params: r.data } } : { success: false, error: r.error }
  }
  const allowed: readonly string[] = PROFILE_INPUT_TYPES[profile]
  const schema = lookupParamsSchema.refine((p) => allowed.includes(p.input_type), {
    message: `input_type for ${profile} must be one of ${allowed.join(', ')}`,
    path: ['input_type'],
  })
  const r = schema.safeParse(params)
  return r.success ? { success: true, data: { profile, params: r.data } } : { success: false, error: r.error }
}

export const domainListSchema = z.array(z.string()).min(1, 'domains must list at least one domain')

export const lineageParamsSchema = z.object({ direction: directionSchema.optional() }).loose()

/** POST /api/trace/lineage */
export const lineageRequestSchema = z.object({
  profile: profileSchema,
  container_ids: z.array(containerIdSchema).min(1, 'container_ids must list at least one CID'),
  params: lineageParamsSchema.optional(),
})
export type LineageRequest = z.infer<typeof lineageRequestSchema>

/** POST /api/trace/events: either the full CID list, or a lineage reference plus the seed ids it came from. */
export const eventsRequestSchema = z
  .object({
    profile: profileSchema,
    container_ids: z.array(containerIdSchema).optional(),
    lineage_query_id: z
      .string()
      .regex(/^lin-[0-9a-f]{32}$/)
      .optional(),
    seed_container_ids: z.array(containerIdSchema).optional(),
    domains: domainListSchema.optional(),
    params: lineageParamsSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const hasIds = (b.container_ids?.length ?? 0) > 0
    const hasRef = Boolean(b.lineage_query_id) && (b.seed_container_ids?.length ?? 0) > 0
    if (!hasIds && !hasRef)
      ctx.addIssue({
        code: 'custom',
        message: 'container_ids (or lineage_query_id with seed_container_ids) is required',
        path: ['container_ids'],
      })
  })
export type EventsRequest = z.infer<typeof eventsRequestSchema>

/** POST /api/trace/jobs: the whole trace as one job, from what the engineer typed. */
export const jobRequestSchema = z.object({
  profile: profileSchema,
  params: z.record(z.string(), z.unknown()),
  domains: domainListSchema.optional(),
})
export type JobRequest = z.infer<typeof jobRequestSchema>

/** Splits a domain list into known domains and the unknown names (reported as `unsupported domains: a,b`). */
export function partitionDomains(names: readonly string[]): { known: (typeof DOMAINS)[number][]; unknown: string[] } {
  const known: (typeof DOMAINS)[number][] = []
  const unknown: string[] = []
  for (const n of names) {
    if ((DOMAINS as readonly string[]).includes(n)) {
      if (!known.includes(n as (typeof DOMAINS)[number])) known.push(n as (typeof DOMAINS)[number])
    } else unknown.push(n)
  }
  return { known, unknown }
}

/** POST /api/trace/events query: the row shape (row-shape.ts). */
export const eventsQuerySchema = z.object({ shape: rowShapeQuerySchema.optional() })

/** Job ids: `trace-evt-` and 32 hex characters. */
export const jobIdSchema = z.string().regex(/^trace-evt-[0-9a-f]{32}$/)
