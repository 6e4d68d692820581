/**
 * The query a result answers, as label/value lines: profile, what was typed (or station and dates),
 * filters and domains. Shown above every result, live or reopened, so rows never stand without their query.
 */
import type { Domain, InputType } from '../../../shared/domains.ts'
import type { JobRequest } from '../../../shared/schemas.ts'
import { splitTokens } from '../../../shared/tokens.ts'
import { DOMAIN_LABELS, INPUT_LABELS } from '../../labels/index.ts'
import { DEFAULT_DETECTION_STATION } from '../../../shared/workcenter-groups.ts'

/** Typed values named before the rest are counted. */
const NAMED = 3

const PROFILE_LABELS: Readonly<Record<JobRequest['profile'], string>> = {
  query_tool: 'Forward trace',
  query_tool_reverse: 'Reverse trace',
  mid_section_defect: 'Defect investigation',
}

export interface QueryFact {
  readonly label: string
  readonly value: string
}

function valuesOf(v: unknown): string[] {
  if (typeof v === 'string') return splitTokens(v)
  return Array.isArray(v) ? splitTokens(v.filter((x): x is string => typeof x === 'string')) : []
}

function named(values: readonly string[]): string {
  const shown = values.slice(0, NAMED).join(', ')
  return values.length > NAMED ? `${shown} (+${values.length - NAMED} more)` : shown
}

/** The facts of `request`, in reading order. */
export function queryFacts(request: JobRequest): QueryFact[] {
  const p = request.params
  const facts: QueryFact[] = []
  const msd = request.profile === 'mid_section_defect'
  const direction = p.direction === 'forward' ? 'forward' : 'backward'
  facts.push({
    label: 'Profile',
    value: msd ? `${PROFILE_LABELS[request.profile]}, ${direction}` : PROFILE_LABELS[request.profile],
  })
  if (msd) facts.push({ label: 'Station', value: String(p.station ?? DEFAULT_DETECTION_STATION) })
  if (msd && p.mode !== 'container') {
    facts.push({ label: 'Dates', value: `${String(p.start_date)} → ${String(p.end_date)}` })
  } else {
    const type = String(p.input_type ?? 'lot_id')
    const label = INPUT_LABELS[type as InputType] ?? type
    facts.push({ label, value: named(valuesOf(p.values)) })
  }
  if (Array.isArray(p.loss_reasons) && p.loss_reasons.length > 0) {
    facts.push({ label: 'Loss reasons', value: p.loss_reasons.map(String).join(', ') })
  }
  if (request.domains?.length) {
    facts.push({ label: 'Domains', value: request.domains.map((d) => DOMAIN_LABELS[d as Domain] ?? d).join(', ') })
  }
  return facts
}
