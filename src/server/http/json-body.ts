/** Request bodies: a size limit and a reader that accepts only a JSON object, validated with a shared schema. */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { ApiError } from './api-error.ts'
import { parseOrThrow } from './validation.ts'

/** Refuses a body over `maxBytes` with 413 PAYLOAD_TOO_LARGE, by Content-Length or while it streams in. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${maxBytes} bytes`, { limit: maxBytes })
    },
  })
}

/** Reads the body as a JSON object; anything else (empty, malformed, array, scalar) is 400 INVALID_PARAMS. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ApiError(400, 'INVALID_PARAMS', 'request body must be a JSON object (it is not valid JSON)', {
      field: 'body',
    })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'INVALID_PARAMS', 'request body must be a JSON object', { field: 'body' })
  }
  return body as Record<string, unknown>
}

/** Reads the JSON object body and validates it with `schema` (400 INVALID_PROFILE / INVALID_PARAMS). */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseOrThrow(schema, await readJsonObject(c))
}
