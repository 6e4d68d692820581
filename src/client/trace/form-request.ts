/** The trace form's fields and the JobRequest they make (and back, to reopen a recent job's form). */
import {
  defaultDomains,
  traceDirection,
  type Direction,
  type Domain,
  type InputType,
  type Profile,
} from '../../shared/domains.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import { splitTokens, tokenStats } from '../../shared/tokens.ts'
import { DEFAULT_DETECTION_STATION } from '../../shared/workcenter-groups.ts'

export type FormMode = 'forward' | 'reverse' | 'msd'
export type ForwardType = 'lot_id' | 'wafer_lot' | 'work_order'
export type ReverseType = 'serial_number' | 'gd_lot_id' | 'gd_work_order'
export type MsdMode = 'date_range' | 'container'

export interface TraceFormState {
  mode: FormMode
  forwardType: ForwardType
  reverseType: ReverseType
  /** Pasted ids per mode, so switching modes loses nothing. */
  texts: Record<FormMode, string>
  msdMode: MsdMode
  msdInputType: ForwardType
  station: string
  startDate: string
  endDate: string
  direction: Direction
  /** Comma/newline separated; empty = all loss reasons. */
  lossReasons: string
  domains: Domain[]
}

export const MODE_PROFILE: Readonly<Record<FormMode, Profile>> = {
  forward: 'query_tool',
  reverse: 'query_tool_reverse',
  msd: 'mid_section_defect',
}

/** The profile a form state traces with. */
export function formProfile(state: Pick<TraceFormState, 'mode'>): Profile {
  return MODE_PROFILE[state.mode]
}

/** The lineage direction the form implies. */
export function formDirection(state: Pick<TraceFormState, 'mode' | 'direction'>): Direction {
  return traceDirection(formProfile(state), state)
}

/** The input type of the paste box in this state (null in MSD date-range mode). */
export function formInputType(state: TraceFormState): InputType | null {
  if (state.mode === 'forward') return state.forwardType
  if (state.mode === 'reverse') return state.reverseType
  return state.msdMode === 'container' ? state.msdInputType : null
}

/** The default domains for the form's profile and direction. */
export function formDefaultDomains(state: Pick<TraceFormState, 'mode' | 'direction'>): Domain[] {
  return defaultDomains(formProfile(state), formDirection(state))
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** A fresh form: forward lot trace; MSD over the last 30 days at the test station. */
export function initialFormState(today = new Date()): TraceFormState {
  const start = new Date(today.getTime() - 30 * 86_400_000)
  return {
    mode: 'forward',
    forwardType: 'lot_id',
    reverseType: 'serial_number',
    texts: { forward: '', reverse: '', msd: '' },
    msdMode: 'date_range',
    msdInputType: 'lot_id',
    station: DEFAULT_DETECTION_STATION,
    startDate: isoDay(start),
    endDate: isoDay(today),
    direction: 'backward',
    lossReasons: '',
    domains: defaultDomains('query_tool'),
  }
}

/** Days in the default MSD range: a month, ending on the last day the station has data for. */
const DEFAULT_RANGE_DAYS = 31

/**
 * The most recent month of a station's data (`null` when it has none): the default MSD range, so an older
 * copy of the warehouse does not open on an empty last month.
 */
export function recentMonthOf(span: {
  first_day: string | null
  last_day: string | null
}): { startDate: string; endDate: string } | null {
  if (!span.first_day || !span.last_day) return null
  const start = isoDay(new Date(Date.parse(`${span.last_day}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * 86_400_000))
  return { startDate: start < span.first_day ? span.first_day : start, endDate: span.last_day }
}

/** The unique pasted ids, in first-seen order. */
export function uniqueTokens(text: string): string[] {
  return [...new Set(splitTokens(text))]
}

/** The request the form describes (validated separately, see validate-request.ts). */
export function buildRequest(state: TraceFormState): JobRequest {
  const profile = formProfile(state)
  const domains = [...state.domains]
  if (state.mode !== 'msd') {
    return {
      profile,
      domains,
      params: { input_type: formInputType(state), values: uniqueTokens(state.texts[state.mode]) },
    }
  }
  const lossReasons = splitTokens(state.lossReasons)
  const common = {
    direction: state.direction,
    station: state.station,
    ...(lossReasons.length > 0 ? { loss_reasons: lossReasons } : {}),
  }
  if (state.msdMode === 'date_range') {
    return {
      profile,
      domains,
      params: { mode: 'date_range', start_date: state.startDate, end_date: state.endDate, ...common },
    }
  }
  return {
    profile,
    domains,
    params: { mode: 'container', input_type: state.msdInputType, values: uniqueTokens(state.texts.msd), ...common },
  }
}

function valuesText(v: unknown): string {
  if (typeof v === 'string') return v
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('\n') : ''
}

/** The form fields that produce `request` (to reopen a recent job's form). */
export function formFromRequest(request: JobRequest, base: TraceFormState): TraceFormState {
  const p = request.params
  const next: TraceFormState = { ...base, texts: { ...base.texts } }
  next.domains = request.domains ? (request.domains as Domain[]) : base.domains
  if (request.profile === 'query_tool') {
    next.mode = 'forward'
    next.forwardType = (p.input_type as ForwardType) ?? 'lot_id'
    next.texts.forward = valuesText(p.values)
  } else if (request.profile === 'query_tool_reverse') {
    next.mode = 'reverse'
    next.reverseType = (p.input_type as ReverseType) ?? 'serial_number'
    next.texts.reverse = valuesText(p.values)
  } else {
    next.mode = 'msd'
    next.msdMode = p.mode === 'container' ? 'container' : 'date_range'
    next.direction = p.direction === 'forward' ? 'forward' : 'backward'
    if (typeof p.station === 'string') next.station = p.station
    if (typeof p.start_date === 'string') next.startDate = p.start_date
    if (typeof p.end_date === 'string') next.endDate = p.end_date
    next.lossReasons = Array.isArray(p.loss_reasons) ? p.loss_reasons.join(', ') : ''
    if (next.msdMode === 'container') {
      next.msdInputType = (p.input_type as ForwardType) ?? 'lot_id'
      next.texts.msd = valuesText(p.values)
    }
  }
  return next
}

/** A one-line description of a request for the recent-jobs list. */
export function describeRequest(request: JobRequest): string {
  const p = request.params
  if (request.profile === 'mid_section_defect' && p.mode === 'date_range') {
    return `MSD ${String(p.direction ?? 'backward')} · ${String(p.station ?? DEFAULT_DETECTION_STATION)} · ${String(p.start_date)} → ${String(p.end_date)}`
  }
  const tokens = splitTokens(valuesText(p.values))
  const { unique } = tokenStats(tokens)
  const first = tokens[0] ?? ''
  const kind =
    request.profile === 'query_tool' ? 'Forward' : request.profile === 'query_tool_reverse' ? 'Reverse' : 'MSD'
  return `${kind} · ${String(p.input_type ?? 'lot_id')} · ${first}${unique > 1 ? ` (+${unique - 1})` : ''}`
}
