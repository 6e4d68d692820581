import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildRequest,
  formFromRequest,
  initialFormState,
  type TraceFormState,
} from '../../../src/client/trace/form-request.ts'
import { checkTraceRequest } from '../../../src/client/trace/validate-request.ts'
import { DOMAINS } from '../../../src/shared/domains.ts'
import type { JobRequest } from '../../../src/shared/schemas.ts'

/** The form a job reopens onto: fields of the other modes keep these values. */
const BASE = initialFormState(new Date('2026-03-15T08:00:00Z'))

const token = fc.stringMatching(/^[A-Z0-9][A-Z0-9_.-]{0,14}$/)
const tokens = fc.uniqueArray(token, { minLength: 1, maxLength: 8 })
const lossReasons = fc.array(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,9}$/), { maxLength: 3 })
const domains = fc.subarray([...DOMAINS], { minLength: 1 })
const direction = fc.constantFrom('forward' as const, 'backward' as const)
const station = fc.constantFrom('測試', 'TMTT', '焊接_DB')
const forwardType = fc.constantFrom('lot_id' as const, 'wafer_lot' as const, 'work_order' as const)
const reverseType = fc.constantFrom('serial_number' as const, 'gd_lot_id' as const, 'gd_work_order' as const)
/** A valid range: a start day in 2020-2029 and up to 365 days on. */
const dateRange = fc
  .tuple(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2029, 11, 31) }), fc.integer({ min: 0, max: 365 }))
  .map(([start, days]) => {
    const day = (ms: number): string => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10)
    return { startDate: day(start), endDate: day(start + days * 86_400_000) }
  })

/** A form as the engineer can leave it, with its texts as the form writes them back (one id a line). */
const validForm: fc.Arbitrary<TraceFormState> = fc.oneof(
  fc.record({ type: forwardType, ids: tokens, domains }).map(({ type, ids, domains }): TraceFormState => ({
    ...BASE,
    mode: 'forward',
    forwardType: type,
    texts: { ...BASE.texts, forward: ids.join('\n') },
    domains,
  })),
  fc.record({ type: reverseType, ids: tokens, domains }).map(({ type, ids, domains }): TraceFormState => ({
    ...BASE,
    mode: 'reverse',
    reverseType: type,
    texts: { ...BASE.texts, reverse: ids.join('\n') },
    domains,
  })),
  fc
    .record({ range: dateRange, direction, station, reasons: lossReasons, domains })
    .map(({ range, direction, station, reasons, domains }): TraceFormState => ({
      ...BASE,
      mode: 'msd',
      msdMode: 'date_range',
      ...range,
      direction,
      station,
      lossReasons: reasons.join(', '),
      domains,
    })),
  fc
    .record({ type: forwardType, ids: tokens, direction, station, reasons: lossReasons, domains })
    .map(({ type, ids, direction, station, reasons, domains }): TraceFormState => ({
      ...BASE,
      mode: 'msd',
      msdMode: 'container',
      msdInputType: type,
      texts: { ...BASE.texts, msd: ids.join('\n') },
      direction,
      station,
      lossReasons: reasons.join(', '),
      domains,
    })),
)

/** A request as the client sends one (ids as a list, domains always named). */
const validRequest: fc.Arbitrary<JobRequest> = fc.oneof(
  fc.record({ type: forwardType, ids: tokens, domains }).map(({ type, ids, domains }) => ({
    profile: 'query_tool' as const,
    domains,
    params: { input_type: type, values: ids },
  })),
  fc.record({ type: reverseType, ids: tokens, domains }).map(({ type, ids, domains }) => ({
    profile: 'query_tool_reverse' as const,
    domains,
    params: { input_type: type, values: ids },
  })),
  fc
    .record({ range: dateRange, direction, station, reasons: lossReasons, domains })
    .map(({ range, direction, station, reasons, domains }) => ({
      profile: 'mid_section_defect' as const,
      domains,
      params: {
        mode: 'date_range',
        start_date: range.startDate,
        end_date: range.endDate,
        direction,
        station,
        ...(reasons.length > 0 ? { loss_reasons: reasons } : {}),
      },
    })),
  fc
    .record({ type: forwardType, ids: tokens, direction, station, reasons: lossReasons, domains })
    .map(({ type, ids, direction, station, reasons, domains }) => ({
      profile: 'mid_section_defect' as const,
      domains,
      params: {
        mode: 'container',
        input_type: type,
        values: ids,
        direction,
        station,
        ...(reasons.length > 0 ? { loss_reasons: reasons } : {}),
      },
    })),
)

describe('buildRequest and formFromRequest', () => {
  it('gives back the same form from the request a valid form makes', () => {
    fc.assert(
      fc.property(validForm, (form) => {
        const request = buildRequest(form)
        expect(checkTraceRequest(request).ok).toBe(true)
        expect(formFromRequest(request, BASE)).toEqual(form)
      }),
    )
  })

  it('makes the same request again from the form a request reopens', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        expect(buildRequest(formFromRequest(request, BASE))).toEqual(request)
      }),
    )
  })

  it('sends each pasted id once, in the order first pasted', () => {
    const form: TraceFormState = { ...BASE, texts: { ...BASE.texts, forward: 'B1, A1\nB1;C1\n\n' } }
    expect(buildRequest(form).params.values).toEqual(['B1', 'A1', 'C1'])
  })
})
