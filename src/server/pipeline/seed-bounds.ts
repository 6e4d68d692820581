/**
 * Bounds on what seed resolution will search for. Each wildcard token is its own LIKE statement that may scan
 * a whole name column, and a database's LIKE matcher has its own limits (SQLite refuses a pattern past 50,000
 * bytes; long patterns with many `%` backtrack), so both the number of wildcard tokens and the length of any
 * token are capped: SEED_MAX_PATTERN_TOKENS and SEED_MAX_TOKEN_LENGTH, refused as INVALID_PARAMS naming the limit.
 */
import { isPatternToken } from '../../shared/tokens.ts'
import type { SeedParams } from '../../shared/schemas.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'

type BoundsConfig = Pick<Config, 'SEED_MAX_PATTERN_TOKENS' | 'SEED_MAX_TOKEN_LENGTH'>

/** Throws INVALID_PARAMS (field `params.values`, `limit`) when the typed values pass a bound. */
export function checkSeedBounds(seed: SeedParams, config: BoundsConfig): void {
  const params = seed.params
  if (!('values' in params)) return
  const maxLength = config.SEED_MAX_TOKEN_LENGTH
  const long = params.values.find((t) => t.length > maxLength)
  if (long !== undefined) {
    throw new DomainError(
      'INVALID_PARAMS',
      `params.values: a value is ${long.length} characters long; at most ${maxLength}`,
      {
        details: { field: 'params.values', limit: maxLength },
      },
    )
  }
  const maxPatterns = config.SEED_MAX_PATTERN_TOKENS
  const patterns = new Set(params.values.filter(isPatternToken)).size
  if (patterns > maxPatterns) {
    throw new DomainError(
      'INVALID_PARAMS',
      `params.values: ${patterns} wildcard values; at most ${maxPatterns} per request (list exact names instead)`,
      { details: { field: 'params.values', limit: maxPatterns } },
    )
  }
}
