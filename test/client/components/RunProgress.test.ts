// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import RunProgress from '../../../src/client/components/progress/RunProgress.vue'
import { NO_STAGE_ERRORS, type JobProgressView } from '../../../src/client/trace/trace-stages.ts'

function progress(over: Partial<JobProgressView> = {}): JobProgressView {
  return {
    job_id: 'trace-evt-1',
    status: 'started',
    stage: 'events',
    pct: 40,
    rows: 600,
    cids_done: 0,
    cids_total: 804,
    domain: null,
    elapsed_seconds: 3,
    domains: ['history', 'materials'],
    received_at: Date.now(),
    ...over,
  }
}

function mountProgress(rowsReceived: number, p: JobProgressView): VueWrapper {
  return mount(RunProgress, {
    props: {
      currentStage: 'events',
      completedStages: ['seed-resolve', 'lineage'],
      runStatus: 'running',
      stageErrors: NO_STAGE_ERRORS,
      progress: p,
      rowsReceived,
      startedAt: Date.now(),
      finishedAt: null,
      path: 'job',
      resumes: 0,
      warnings: [],
    },
  })
}

describe('RunProgress', () => {
  it('shows rows streaming as an active stage while the job still fetches events', () => {
    const w = mountProgress(600, progress())
    expect(w.get('[data-testid="stage-events"]').attributes('data-state')).toBe('active')
    expect(w.get('[data-testid="stage-streaming"]').attributes('data-state')).toBe('active')
  })

  it('leaves the streaming stage to do before the first row', () => {
    const w = mountProgress(0, progress())
    expect(w.get('[data-testid="stage-streaming"]').attributes('data-state')).toBe('todo')
  })

  it('shows the containers as not yet counted, not as 0 / 0, while rows arrive before the first count', () => {
    expect(
      mountProgress(200, progress({ cids_total: 0 }))
        .get('[data-testid="containers"]')
        .text(),
    ).toBe('…')
    expect(
      mountProgress(600, progress({ cids_done: 12, cids_total: 804 }))
        .get('[data-testid="containers"]')
        .text(),
    ).toBe('12 / 804')
  })

  it('says the container count is per domain while a multi-domain job fetches events', () => {
    expect(mountProgress(600, progress()).text()).toContain('Containers, current domain')
    expect(mountProgress(600, progress({ domains: ['history'] })).text()).not.toContain('current domain')
  })

  it('names the domain whose containers are counted when the server reports it', () => {
    const text = mountProgress(600, progress({ domain: 'materials', cids_done: 400 })).text()
    expect(text).toContain('Containers in Materials (2 of 2)')
    expect(text).toContain('400 / 804')
  })

  it('never shows the elapsed time or the percent going back when the final status lands', async () => {
    const started = Date.now() - 20_000
    const w = mount(RunProgress, {
      props: {
        currentStage: 'events',
        completedStages: ['seed-resolve', 'lineage'],
        runStatus: 'running',
        stageErrors: NO_STAGE_ERRORS,
        progress: progress({ pct: 60, elapsed_seconds: 10, received_at: Date.now() - 10_000 }),
        rowsReceived: 600,
        startedAt: started,
        finishedAt: null,
        path: 'job',
        resumes: 0,
        warnings: [],
      },
    })
    expect(w.get('[data-testid="elapsed"]').text()).toBe('20s')
    // The job's last poll said 16 s and, its stage done, the percent now counts rows received.
    await w.setProps({
      progress: progress({ status: 'finished', stage: 'done', pct: 100, elapsed_seconds: 16, rows: 2000 }),
    })
    expect(w.get('[data-testid="elapsed"]').text()).toBe('20s')
    expect(Number(w.get('[data-testid="progress-pct"]').text().replace('%', ''))).toBeGreaterThanOrEqual(60)
  })

  it('says why there is nothing to trace instead of showing empty results', () => {
    const w = mount(RunProgress, {
      props: {
        currentStage: null,
        completedStages: ['seed-resolve'],
        runStatus: 'empty',
        stageErrors: NO_STAGE_ERRORS,
        progress: null,
        rowsReceived: 0,
        startedAt: Date.now(),
        finishedAt: Date.now(),
        path: 'staged',
        resumes: 0,
        warnings: [],
        emptyReason: 'no lot name matched GA-NOPE',
      },
    })
    expect(w.get('[data-testid="run-status"]').text()).toBe('Nothing to trace')
    expect(w.get('[data-testid="no-seeds"]').text()).toContain('no lot name matched GA-NOPE')
  })
})
