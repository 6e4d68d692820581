/**
 * Stage 1: what the engineer typed → seed CIDs. Query-tool inputs go through name lookups (seed-lookup.ts);
 * MSD date-range mode reads detection rows at a station (seed-msd.ts).
 */
import type { InputType } from '../../shared/domains.ts'
import type { ExpansionInfo, Seed, SeedResolveResponse } from '../../shared/responses.ts'
import type { MsdDateRangeParams, SeedParams } from '../../shared/schemas.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { MesSource } from '../source/mes-source.ts'
import { INPUT_LOOKUPS, SERIAL_LOOKUPS, type SerialSource } from './seed-inputs.ts'
import { lookupTokens, type LookupMatch } from './seed-lookup.ts'
import { resolveMsdDateRange } from './seed-msd.ts'
import { unmatchedReason } from './seed-empty-reason.ts'
import { compareSeeds } from './seed-order.ts'
import type { StageOptions } from './stage-options.ts'
import { stageError } from './stage-errors.ts'

/** The text before the first wildcard, upper-cased: what decides whether a token names a GD order or lot. */
function literalPrefix(token: string): string {
  const i = token.search(/[*%]/)
  return (i < 0 ? token : token.slice(0, i)).toUpperCase()
}

function refuse(message: string, tokens: string[]): never {
  throw new DomainError('INVALID_PARAMS', message, { details: { tokens } })
}

/** GA/GC orders go forward, GD (rework) orders and lots go backward; a token of the wrong kind is refused. */
function checkGdRules(inputType: InputType, tokens: readonly string[]): void {
  const isGd = (t: string) => literalPrefix(t).startsWith('GD')
  if (inputType === 'work_order') {
    const gd = tokens.filter(isGd)
    if (gd.length)
      refuse(
        `work_order takes GA/GC orders; ${gd.join(', ')} ${gd.length > 1 ? 'are GD rework orders' : 'is a GD rework order'}: use input_type gd_work_order (profile query_tool_reverse)`,
        gd,
      )
  } else if (inputType === 'gd_lot_id' || inputType === 'gd_work_order') {
    const other = tokens.filter((t) => !isGd(t))
    if (other.length) {
      const alt = inputType === 'gd_lot_id' ? 'lot_id' : 'work_order'
      refuse(
        `${inputType} values must start with GD: ${other.join(', ')}; use input_type ${alt} (profile query_tool) for other values`,
        other,
      )
    }
  }
}

/** Seeds from lookups in precedence order: a CID keeps the first source that produced it. */
class SeedSet {
  private readonly seeds = new Map<string, Seed>()

  add(tokens: readonly string[], matches: Map<string, LookupMatch[]>, source?: SerialSource): void {
    for (const token of tokens) {
      for (const m of matches.get(token) ?? []) {
        if (this.seeds.has(m.containerId)) continue
        const name = m.containerName ?? m.containerId
        this.seeds.set(m.containerId, {
          container_id: m.containerId,
          container_name: name,
          lot_id: name,
          ...(source ? { source } : {}),
        })
      }
    }
  }

  sorted(): Seed[] {
    return [...this.seeds.values()].sort(compareSeeds)
  }
}

async function resolveTokens(
  source: MesSource,
  inputType: InputType,
  values: readonly string[],
  opts: StageOptions,
): Promise<SeedResolveResponse> {
  const tokens = [...new Set(values)]
  checkGdRules(inputType, tokens)
  const seeds = new SeedSet()
  const expansion: ExpansionInfo[] = []
  let remaining = tokens
  if (inputType === 'serial_number') {
    for (const { source: from, spec } of SERIAL_LOOKUPS) {
      if (remaining.length === 0) break
      const r = await lookupTokens(source, spec, remaining, opts)
      seeds.add(remaining, r.matches, from)
      expansion.push(...r.expansion)
      remaining = remaining.filter((t) => !r.matches.has(t))
    }
  } else {
    const r = await lookupTokens(source, INPUT_LOOKUPS[inputType], tokens, opts)
    seeds.add(tokens, r.matches)
    expansion.push(...r.expansion)
    remaining = tokens.filter((t) => !r.matches.has(t))
  }
  const list = seeds.sorted()
  const response: SeedResolveResponse = {
    stage: 'seed-resolve',
    seeds: list,
    seed_count: list.length,
    not_found: remaining,
    expansion_info: expansion,
  }
  if (list.length === 0) response.no_seeds_reason = unmatchedReason(inputType, remaining)
  return response
}

function isDateRange(params: SeedParams['params']): params is MsdDateRangeParams {
  return 'mode' in params && params.mode === 'date_range'
}

/**
 * Resolves seed params to seed CIDs: de-duplicated, sorted by container name then CID. The params come parsed
 * and bounded from the edge (routes/trace-request.ts). Throws DomainError INVALID_PARAMS for input the lineage
 * rules refuse (GD orders on work_order, non-GD values on the GD types, an unknown station),
 * SEED_RESOLVE_FAILED when a query fails.
 */
export async function resolveSeeds(
  source: MesSource,
  input: SeedParams,
  opts: StageOptions,
): Promise<SeedResolveResponse> {
  try {
    const { params } = input
    if (isDateRange(params)) return await resolveMsdDateRange(source, params, opts)
    return await resolveTokens(source, params.input_type, params.values, opts)
  } catch (err) {
    throw stageError(err, opts.signal, 'SEED_RESOLVE_FAILED', 'seed resolution failed')
  }
}
