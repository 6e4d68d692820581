import { describe, expect, it } from 'vitest'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { ApiError } from '../../../src/server/http/api-error.ts'
import { parseSeedRequest, parseTraceRequest } from '../../../src/server/routes/trace-request.ts'

const BOUNDS = { SEED_MAX_PATTERN_TOKENS: 2, SEED_MAX_TOKEN_LENGTH: 12 }

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (err) {
    return err
  }
  return expect.unreachable('no error thrown')
}

describe('parseTraceRequest', () => {
  it('parses the params once, decides the direction and picks the default domains', () => {
    expect(
      parseTraceRequest(
        {
          profile: 'mid_section_defect',
          params: { mode: 'date_range', start_date: '2026-01-01', end_date: '2026-01-31', direction: 'forward' },
        },
        BOUNDS,
      ),
    ).toEqual({
      seed: {
        profile: 'mid_section_defect',
        params: {
          mode: 'date_range',
          station: '測試',
          start_date: '2026-01-01',
          end_date: '2026-01-31',
          direction: 'forward',
        },
      },
      direction: 'forward',
      domains: ['upstream_history', 'downstream_rejects'],
    })
  })

  it('keeps the requested domains, de-duplicated, in request order', () => {
    const parsed = parseTraceRequest(
      { profile: 'query_tool', params: { input_type: 'lot_id', values: 'A' }, domains: ['holds', 'history', 'holds'] },
      BOUNDS,
    )
    expect(parsed.direction).toBe('forward')
    expect(parsed.domains).toEqual(['holds', 'history'])
  })

  it('refuses bad params with 400 INVALID_PARAMS naming the field under params', () => {
    const err = thrown(() =>
      parseTraceRequest({ profile: 'query_tool', params: { input_type: 'serial_number', values: 'A' } }, BOUNDS),
    )
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 400, code: 'INVALID_PARAMS', details: { field: 'params.input_type' } })
  })

  it('refuses unknown domains', () => {
    const err = thrown(() =>
      parseTraceRequest(
        { profile: 'query_tool', params: { input_type: 'lot_id', values: 'A' }, domains: ['nope'] },
        BOUNDS,
      ),
    )
    expect(err).toMatchObject({ code: 'INVALID_PARAMS', message: 'unsupported domains: nope' })
  })
})

describe('parseSeedRequest', () => {
  it('applies the server’s bounds after the shape: a value too long, too many wildcards', () => {
    const long = thrown(() =>
      parseSeedRequest({ profile: 'query_tool', params: { input_type: 'lot_id', values: 'X'.repeat(13) } }, BOUNDS),
    )
    expect(long).toBeInstanceOf(DomainError)
    expect(long).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.values', limit: 12 } })
    const wild = thrown(() =>
      parseSeedRequest({ profile: 'query_tool', params: { input_type: 'lot_id', values: 'A*,B*,C*' } }, BOUNDS),
    )
    expect(wild).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.values', limit: 2 } })
  })

  it('passes values within the bounds through parsed', () => {
    expect(
      parseSeedRequest({ profile: 'query_tool', params: { input_type: 'lot_id', values: 'A*, B' } }, BOUNDS),
    ).toEqual({
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: ['A*', 'B'] },
    })
  })
})
