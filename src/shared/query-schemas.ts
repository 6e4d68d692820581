/**
 * Query strings of the job routes. Numbers are strict decimal integers: `0x10`, `1e3`, ` 7`, `+1` or an empty
 * value is a 400, never read as something else the way `Number()` would.
 */
import { z } from 'zod'
import { DOMAINS } from './domains.ts'
import { rowShapeQuerySchema } from './row-shape.ts'

/** Digits only, at most 15 of them, so every accepted value is a safe integer. */
const DECIMAL = /^(0|[1-9]\d{0,14})$/

/** A non-negative decimal integer given as text. */
export const queryIntSchema = z
  .string()
  .regex(DECIMAL, 'must be a non-negative decimal integer (digits only)')
  .transform(Number)

/** GET /api/trace/job/:id/stream query. `from` is `<domain>:<batch>`: resume after that batch. */
export const streamQuerySchema = z.object({
  from: z
    .string()
    .regex(/^[a-z_]+:(0|[1-9]\d{0,14})$/, 'from is <domain>:<batch>, the batch a decimal integer')
    .transform((s) => {
      const [domain, batch] = s.split(':')
      return { domain, batch: Number(batch) }
    })
    .optional(),
  shape: rowShapeQuerySchema.optional(),
})

/** Most rows one result page may ask for. */
export const RESULT_PAGE_MAX_LIMIT = 50_000

/** GET /api/trace/job/:id/result query. */
export const resultQuerySchema = z.object({
  domain: z.enum(DOMAINS),
  offset: queryIntSchema.default(0),
  limit: queryIntSchema
    .refine((n) => n >= 1 && n <= RESULT_PAGE_MAX_LIMIT, `must be between 1 and ${RESULT_PAGE_MAX_LIMIT}`)
    .default(1000),
  shape: rowShapeQuerySchema.optional(),
})
