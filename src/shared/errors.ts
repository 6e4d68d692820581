/** Machine-readable error codes of the one error envelope every route uses. */
export const ERROR_CODES = [
  'INVALID_PARAMS',
  'INVALID_PROFILE',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'CID_LIMIT_EXCEEDED',
  'TOO_MANY_REQUESTS',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'HOST_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'SEED_RESOLVE_TIMEOUT',
  'SEED_RESOLVE_FAILED',
  'LINEAGE_TIMEOUT',
  'LINEAGE_FAILED',
  'LINEAGE_MISMATCH',
  'EVENTS_FAILED',
  'EVENTS_PARTIAL_FAILURE',
  'SERVICE_UNAVAILABLE',
  'JOB_NOT_FOUND',
  'JOB_NOT_COMPLETE',
  'JOB_RESULT_EXPIRED',
  'JOB_FAILED',
  'JOB_TIMEOUT',
  'JOB_CANCELLED',
  'WORKER_DIED',
  'RESULT_STORE_FULL',
  'RESULT_LOST',
  'STREAM_FAILED',
  'ANALYSIS_NOT_AVAILABLE',
  'LINEAGE_NOT_AVAILABLE',
  'INTERNAL_ERROR',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** `{success:false, error:{code, message, ...details}, meta:{timestamp}}` */
export interface ErrorEnvelope {
  success: false
  error: { code: ErrorCode; message: string; [detail: string]: unknown }
  meta: { timestamp: string }
}

/** Narrows an unknown JSON body to the error envelope. */
export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null) return false
  const b = body as { success?: unknown; error?: { code?: unknown } }
  return b.success === false && typeof b.error?.code === 'string'
}
