import { describe, expect, it } from 'vitest'
import { DomainError } from '../../../../src/server/errors/domain-error.ts'
import { DOMAIN_STATUS } from '../../../../src/server/http/domain-status.ts'
import { resolveDomains } from '../../../../src/server/pipeline/events.ts'

describe('resolveDomains', () => {
  it('gives each profile its default domains when none are requested', () => {
    expect(resolveDomains('query_tool', 'forward')).toEqual(['history', 'materials', 'rejects', 'holds', 'jobs'])
    expect(resolveDomains('mid_section_defect', 'backward')).toEqual(['upstream_history', 'materials'])
    expect(resolveDomains('mid_section_defect', 'forward')).toEqual(['upstream_history', 'downstream_rejects'])
  })

  it('keeps requested domains once each, in request order', () => {
    expect(resolveDomains('query_tool', 'forward', ['jobs', 'history', 'jobs'])).toEqual(['jobs', 'history'])
  })

  it('refuses unknown domains with 400 naming them', () => {
    try {
      resolveDomains('query_tool', 'forward', ['history', 'foo', 'bar'])
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError)
      expect(err).toMatchObject({ code: 'INVALID_PARAMS', message: 'unsupported domains: foo,bar' })
      expect(DOMAIN_STATUS[(err as DomainError).code]).toBe(400)
    }
  })

  it('refuses an empty list', () => {
    expect(() => resolveDomains('query_tool', 'forward', [])).toThrow(DomainError)
  })
})
