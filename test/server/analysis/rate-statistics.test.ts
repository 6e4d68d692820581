import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  normalUpperTail,
  rankRates,
  rankSumPValue,
  rankTestPValue,
  suspicionScore,
  wilsonInterval,
} from '../../../src/server/analysis/rate-statistics.ts'

describe('wilsonInterval', () => {
  it('matches the textbook interval and always holds the observed rate', () => {
    const ci = wilsonInterval(5, 100)!
    expect(ci.low).toBeCloseTo(0.02154, 4)
    expect(ci.high).toBeCloseTo(0.11175, 4)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e7 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(n * share)
        const w = wilsonInterval(k, n)!
        expect(w.low).toBeLessThanOrEqual(k / n + 1e-12)
        expect(w.high).toBeGreaterThanOrEqual(k / n - 1e-12)
        expect(w.low).toBeGreaterThanOrEqual(0)
        expect(w.high).toBeLessThanOrEqual(1)
      }),
    )
    expect(wilsonInterval(0, 0)).toBeNull()
  })
})

describe('normalUpperTail', () => {
  it('gives the known tail areas, tiny tails included', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6)
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6)
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6)
    const far = normalUpperTail(10)
    expect(far / 7.619853e-24).toBeGreaterThan(0.999)
    expect(far / 7.619853e-24).toBeLessThan(1.001)
  })
})

describe('rankTestPValue', () => {
  it('averages the ranks of ties', () => {
    const r = rankRates(new Float64Array([0.1, 0.3, 0.1, Number.NaN, 0.2]))
    expect([...r.ranks]).toEqual([1.5, 4, 1.5, Number.NaN, 3])
    expect(r.n).toBe(4)
    expect(r.tieTerm).toBe(6)
  })

  it('is small when the members hold the highest rates and near one when they hold the lowest', () => {
    const rates = new Float64Array(200).map((_, i) => i / 1000)
    const ranking = rankRates(rates)
    const top = Array.from({ length: 20 }, (_, i) => 199 - i)
    const bottom = Array.from({ length: 20 }, (_, i) => i)
    expect(rankTestPValue(ranking, top)).toBeLessThan(1e-8)
    expect(rankTestPValue(ranking, bottom)).toBeGreaterThan(0.999)
    expect(rankTestPValue(ranking, [])).toBe(1)
    expect(
      rankTestPValue(
        ranking,
        rates.map((_, i) => i),
      ),
    ).toBe(1)
  })

  it('gives the same p-value from the members count and rank sum as from the members', () => {
    const rate = fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined })
    const rateLists = fc.array(rate, { minLength: 2, maxLength: 60 })
    fc.assert(
      fc.property(rateLists, fc.integer(), (raw, seed) => {
        const rates = Float64Array.from(raw, (x) => (x === undefined ? Number.NaN : x / 10))
        const ranking = rankRates(rates)
        const members = rates.map((_, i) => i).filter((i) => (i * 7 + seed) % 3 === 0)
        const ranked = members.filter((i) => !Number.isNaN(ranking.ranks[i]))
        const rankSum = ranked.reduce((sum, i) => sum + ranking.ranks[i], 0)
        expect(rankSumPValue(ranking, ranked.length, rankSum)).toBe(rankTestPValue(ranking, members))
      }),
    )
  })
})

describe('suspicionScore', () => {
  it('needs both an effect and evidence', () => {
    expect(suspicionScore(1, 1e-20)).toBe(0)
    expect(suspicionScore(0.5, 1e-20)).toBe(0)
    expect(suspicionScore(8, 1)).toBe(0)
    expect(suspicionScore(2, 1e-6)).toBeCloseTo(6, 6)
    expect(suspicionScore(Number.POSITIVE_INFINITY, 1e-3)).toBeGreaterThan(suspicionScore(4, 1e-3))
  })
})
