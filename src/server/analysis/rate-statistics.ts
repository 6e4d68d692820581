/**
 * The statistics behind a suspect list: a defect rate's confidence interval, a one-sided rank test of "lots
 * through this machine (material lot, wafer lot) have higher defect rates than the other lots", and a score
 * that needs both a large effect and strong evidence.
 *
 * Why a rank test on lots (Mann-Whitney U) and not a chi-square or exact test: the independent units are lots,
 * not dies. Dies of one lot share every machine, material and wafer, so a test on die counts calls every
 * busy machine significant. And at a test station every lot has some rejects, so a 2×2 table of "defective vs
 * clean lots" carries no information. Ranking the lots' own defect rates uses the quantities, assumes no
 * distribution, and is computed for every key from one global ranking in time proportional to the key's lots.
 */

/** A rate's 95 % Wilson score interval; null when there is nothing to rate. */
export function wilsonInterval(successes: number, trials: number, z = 1.959964): { low: number; high: number } | null {
  if (!(trials > 0)) return null
  const p = Math.min(1, Math.max(0, successes / trials))
  const z2 = z * z
  const denom = 1 + z2 / trials
  const centre = (p + z2 / (2 * trials)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/**
 * The complementary error function with a fractional error below 1.2e-7 over the whole range (Numerical
 * Recipes' Chebyshev fit), so tail probabilities of 1e-30 keep their magnitude.
 */
function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}

/** P(Z ≥ z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

/** The global ranking of every lot's defect rate, shared by the rank test of every key. */
export interface RateRanking {
  /** Rank of each lot (1-based, ties averaged); NaN for a lot that has no rate (no input). */
  readonly ranks: Float64Array
  /** Lots that have a rate. */
  readonly n: number
  /** Σ (t³ - t) over groups of tied rates, for the variance's tie correction. */
  readonly tieTerm: number
}

/** Ranks `rates` (NaN = no rate, left out). */
export function rankRates(rates: Float64Array): RateRanking {
  const order: number[] = []
  for (let i = 0; i < rates.length; i++) if (!Number.isNaN(rates[i])) order.push(i)
  order.sort((a, b) => rates[a] - rates[b])
  const ranks = new Float64Array(rates.length).fill(Number.NaN)
  let tieTerm = 0
  for (let start = 0; start < order.length;) {
    let end = start + 1
    while (end < order.length && rates[order[end]] === rates[order[start]]) end++
    const t = end - start
    const rank = (start + 1 + end) / 2
    for (let k = start; k < end; k++) ranks[order[k]] = rank
    if (t > 1) tieTerm += t * t * t - t
    start = end
  }
  return { ranks, n: order.length, tieTerm }
}

/**
 * One-sided p-value that the lots in `members` have higher rates than the rest: Mann-Whitney U with the
 * normal approximation, tie correction and continuity correction. 1 when either side is empty.
 */
export function rankTestPValue(ranking: RateRanking, members: Iterable<number>): number {
  let n1 = 0
  let rankSum = 0
  for (const lot of members) {
    const r = ranking.ranks[lot]
    if (Number.isNaN(r)) continue
    n1++
    rankSum += r
  }
  return rankSumPValue(ranking, n1, rankSum)
}

/** `rankTestPValue` from the members' count and rank sum, for callers that sum the ranks in their own pass. */
export function rankSumPValue(ranking: RateRanking, n1: number, rankSum: number): number {
  const n = ranking.n
  const n2 = n - n1
  if (n1 === 0 || n2 === 0) return 1
  const u = rankSum - (n1 * (n1 + 1)) / 2
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - ranking.tieTerm / (n * (n - 1)))
  if (!(variance > 0)) return 1
  return Math.min(1, normalUpperTail((u - mean - 0.5) / Math.sqrt(variance)))
}

/** Evidence is capped here: beyond 1e-30 a smaller p-value says nothing more about a machine. */
const MAX_EVIDENCE = 30
/** A lift this large already names a suspect; larger ones (a rate out of ~0) must not swamp the list. */
const MAX_LIFT = 1000

/**
 * Effect × evidence: log2 of the lift (rate through ÷ rate not through) times -log10 of the p-value; 0 when
 * the lots through the key do no worse than the others. A busy machine with an ordinary rate scores ~0
 * however small its p-value; a high rate over two lots scores ~0 for lack of evidence.
 */
export function suspicionScore(lift: number, pValue: number): number {
  if (!(lift > 1)) return 0
  const evidence = Math.min(MAX_EVIDENCE, -Math.log10(Math.max(pValue, Number.MIN_VALUE)))
  if (!(evidence > 0)) return 0
  return Math.log2(Math.min(lift, MAX_LIFT)) * evidence
}
