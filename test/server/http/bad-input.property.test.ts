/**
 * Generated bad requests against every route (fast-check, bounded runs): whatever the body, query, id, method
 * or headers, the answer is never a 5xx, never carries a stack trace or a database driver's message, and every
 * JSON error is the one envelope.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAINS, INPUT_TYPES, PROFILES } from '../../../src/shared/domains.ts'
import { isErrorEnvelope } from '../../../src/shared/errors.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { openHarness, type Harness } from '../routes/route-harness.ts'
import { LOT_A, ROWS } from '../routes/trace-fixture.ts'
import { queuedStatus, stubJobs } from './stub-jobs.ts'

/** Runs per property: enough to find the classes of bad input, small enough for every `npm test`. */
const RUNS = 150
const FINISHED_JOB = `trace-evt-${'f'.repeat(32)}`

/** Text that means a stack trace or a driver's own message reached the client. */
const LEAK =
  /\n\s+at |node_modules|\.ts:\d+|SQLITE_|SqliteError|no such (table|column)|syntax error|LIKE or GLOB|pattern too complex|relation "|ORA-\d/i

let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  const jobs = stubJobs()
  jobs.put({ ...queuedStatus(FINISHED_JOB), status: 'finished', finished_at: new Date().toISOString() })
  // Limits high enough that generated runs test the routes, not the rate limiter.
  const high = '100000'
  h = openHarness(
    ROWS,
    {
      RATE_LIMIT_SEED_RESOLVE: high,
      RATE_LIMIT_LINEAGE: high,
      RATE_LIMIT_EVENTS: high,
      RATE_LIMIT_JOBS: high,
      RATE_LIMIT_JOB_READS: high,
      RATE_LIMIT_JOB_CANCEL: high,
    },
    { jobs },
  )
})
afterAll(() => h.close())

async function expectWellFormed(res: Response): Promise<void> {
  const text = await res.text()
  expect(res.status, text).toBeLessThan(500)
  expect(text).not.toMatch(LEAK)
  const type = res.headers.get('content-type') ?? ''
  if (res.status >= 400 && text !== '' && type.startsWith('application/json'))
    expect(isErrorEnvelope(JSON.parse(text)), text).toBe(true)
}

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('%', '_', '*', '\\', "'", '"', '%_%', '\u0000'),
)
const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/)
/** Patterns past what a LIKE matcher takes (SQLite refuses 50,000+ bytes), and ones with many wildcards. */
const hugePattern = fc.oneof(
  fc.integer({ min: 1000, max: 120_000 }).map((n) => `%${'A'.repeat(n)}%`),
  fc.integer({ min: 10, max: 5000 }).map((n) => '%A'.repeat(n)),
)
const values = fc.oneof(anyText, fc.array(anyText, { maxLength: 30 }), hugePattern, fc.anything())
const nearValidBody = fc.record(
  {
    profile: fc.oneof(fc.constantFrom(...PROFILES), anyText, fc.anything()),
    params: fc.oneof(
      fc.record(
        {
          input_type: fc.oneof(fc.constantFrom(...INPUT_TYPES), anyText),
          values,
          mode: fc.constantFrom('date_range', 'container', 'x'),
          station: anyText,
          start_date: fc.oneof(fc.constant('2026-01-01'), anyText),
          end_date: fc.oneof(fc.constant('2026-01-31'), anyText),
          direction: fc.oneof(fc.constantFrom('forward', 'backward'), anyText),
          loss_reasons: fc.oneof(fc.array(anyText), fc.anything()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
    container_ids: fc.oneof(fc.array(fc.oneof(hex16, fc.constant(LOT_A), anyText), { maxLength: 20 }), fc.anything()),
    seed_container_ids: fc.array(fc.oneof(hex16, anyText), { maxLength: 5 }),
    lineage_query_id: fc.oneof(fc.stringMatching(/^lin-[0-9a-f]{32}$/), anyText),
    domains: fc.oneof(fc.array(fc.oneof(fc.constantFrom(...DOMAINS), anyText), { maxLength: 8 }), fc.anything()),
  },
  { requiredKeys: [] },
)
const rawBody = fc.oneof(
  nearValidBody.map((b) => JSON.stringify(b)),
  fc.json(),
  anyText,
  fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
)
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/json; charset=utf-8'),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''),
  anyText.filter((s) => /^[\x21-\x7e ]*$/.test(s)),
)
const postPath = fc.constantFrom(
  '/api/trace/seed-resolve',
  '/api/trace/lineage',
  '/api/trace/events',
  '/api/trace/jobs',
)

describe('generated bad requests', () => {
  it('POST routes answer any body and content type without a 5xx, a stack or a driver message', async () => {
    await fc.assert(
      fc.asyncProperty(postPath, rawBody, contentType, async (path, body, type) => {
        const headers: Record<string, string> = type ? { 'content-type': type } : {}
        await expectWellFormed(await h.post(path, body, { headers }))
      }),
      { numRuns: RUNS },
    )
  })

  it('seed-resolve answers any typed values, wildcards included, without a 5xx or a driver message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('query_tool', 'query_tool_reverse'),
        fc.constantFrom(...INPUT_TYPES),
        values,
        async (profile, type, v) => {
          await expectWellFormed(
            await h.post('/api/trace/seed-resolve', { profile, params: { input_type: type, values: v } }),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('job routes answer any id, query string and method without a 5xx, a stack or a driver message', async () => {
    const id = fc.oneof(
      fc.constant(FINISHED_JOB),
      fc.stringMatching(/^trace-evt-[0-9a-f]{32}$/),
      anyText.map(encodeURIComponent),
    )
    const tail = fc.constantFrom('', '/stream', '/result', '/export.csv', '/nothing')
    const query = fc.dictionary(
      fc.oneof(fc.constantFrom('offset', 'limit', 'domain', 'from', 'shape'), fc.string({ maxLength: 5 })),
      fc.oneof(
        fc.constantFrom(...DOMAINS),
        fc.constantFrom('0x10', '1e3', ' ', '-1', '9'.repeat(30), 'history:9999999'),
        anyText,
      ),
      { maxKeys: 4 },
    )
    const method = fc.constantFrom('GET', 'GET', 'DELETE', 'PUT', 'PATCH', 'HEAD')
    await fc.assert(
      fc.asyncProperty(id, tail, query, method, async (jobId, suffix, q, m) => {
        const search = new URLSearchParams(q).toString()
        const url = `/api/trace/job/${jobId}${suffix}${search ? `?${search}` : ''}`
        await expectWellFormed(
          await h.app.request(url, { method: m }, { incoming: { socket: { remoteAddress: '10.0.0.1' } } }),
        )
      }),
      { numRuns: RUNS },
    )
  })

  it('any header mix on any route (origin, fetch metadata, host, authorization) is answered without a 5xx', async () => {
    const path = fc.oneof(
      postPath,
      fc.constantFrom('/api/health', '/', '/api/nothing', `/api/trace/job/${FINISHED_JOB}`),
    )
    const headers = fc.record(
      {
        origin: fc.oneof(
          fc.constantFrom('null', 'https://evil.example', 'http://localhost'),
          anyText.filter((s) => /^[\x21-\x7e]*$/.test(s)),
        ),
        'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none', 'garbage'),
        authorization: fc.constantFrom('Bearer x', 'Basic eA==', 'Bearer'),
        'content-type': fc.constantFrom('application/json', 'text/plain'),
      },
      { requiredKeys: [] },
    )
    const host = fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'evil.example', 'localhost.evil.example')
    await fc.assert(
      fc.asyncProperty(
        path,
        headers,
        host,
        fc.constantFrom('GET', 'POST', 'DELETE'),
        rawBody,
        async (p, hs, hostname, m, body) => {
          const init: RequestInit = { method: m, headers: hs, ...(m === 'POST' ? { body } : {}) }
          await expectWellFormed(
            await h.app.request(`http://${hostname}${p}`, init, {
              incoming: { socket: { remoteAddress: '10.0.0.1' } },
            }),
          )
        },
      ),
      { numRuns: RUNS },
    )
  })
})
