import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { machineMaintenanceJobs } from '../../../src/server/analysis/machine-maintenance.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

const job = (id: string, resourceId: string, resourceName: string, created: string) => ({
  JOBID: id,
  RESOURCEID: resourceId,
  RESOURCENAME: resourceName,
  JOBSTATUS: 'Completed',
  JOBMODELNAME: 'EQ_REPAIR',
  JOBORDERNAME: `JO-${id}`,
  CREATEDATE: created,
  COMPLETEDATE: created.replace('T08', 'T10'),
  CAUSECODENAME: '磨耗',
  REPAIRCODENAME: '校正',
  SYMPTOMCODENAME: '良率偏低',
  CONTAINERIDS: null,
  CONTAINERNAMES: null,
})

/** DB-15 (id EQ-15) has three jobs in January, one before and one after; DB-16 one in January. */
const JOBS = [
  job('J0', 'EQ-15', 'DB-15', '2025-12-31T08:00:00'),
  job('J3', 'EQ-15', 'DB-15', '2026-01-20T08:00:00'),
  job('J1', 'EQ-15', 'DB-15', '2026-01-01T08:00:00'),
  job('J2', 'EQ-15', 'DB-15', '2026-01-05T08:00:00'),
  job('J4', 'EQ-15', 'DB-15', '2026-02-01T08:00:00'),
  job('K1', 'EQ-16', 'DB-16', '2026-01-02T08:00:00'),
]
const JANUARY = { start: '2026-01-01', end: '2026-02-01' }

describe.each(await fixtureDialects())('machine maintenance jobs on %s', (dialect) => {
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await openFixture(dialect, { DW_MES_JOB: JOBS })
  })
  afterAll(async () => fx?.close())

  it("lists the machine's jobs created in the window, earliest first, by machine id", async () => {
    const { jobs, truncated } = await machineMaintenanceJobs(fx.source, { id: 'EQ-15', name: 'DB-15' }, JANUARY, 10)
    expect(jobs.map((j) => j.JOBID)).toEqual(['J1', 'J2', 'J3'])
    expect(truncated).toBe(false)
    expect(jobs[0]).toMatchObject({ RESOURCENAME: 'DB-15', JOBORDERNAME: 'JO-J1', CAUSECODENAME: '磨耗' })
    expect(jobs[0].CREATEDATE).toMatch(/^2026-01-01T08:00:00/)
  })

  it('matches by name when the suspect has no machine id, and says when it listed fewer than there are', async () => {
    const byName = await machineMaintenanceJobs(fx.source, { id: null, name: 'DB-16' }, JANUARY, 10)
    expect(byName.jobs.map((j) => j.JOBID)).toEqual(['K1'])
    const capped = await machineMaintenanceJobs(fx.source, { id: 'EQ-15', name: 'DB-15' }, JANUARY, 2)
    expect(capped.jobs.map((j) => j.JOBID)).toEqual(['J1', 'J2'])
    expect(capped.truncated).toBe(true)
  })
})
