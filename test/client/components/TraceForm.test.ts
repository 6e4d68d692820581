// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import TraceForm from '../../../src/client/components/trace-form/TraceForm.vue'
import type { JobRequest } from '../../../src/shared/schemas.ts'

function mountForm(): VueWrapper {
  const pinia = createPinia()
  setActivePinia(pinia)
  return mount(TraceForm, { props: { running: false, checking: false }, global: { plugins: [pinia] } })
}

function submitted(w: VueWrapper): [JobRequest, string][] {
  return (w.emitted('submit') ?? []) as [JobRequest, string][]
}

describe('TraceForm', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('refuses to run without ids and says why', async () => {
    const w = mountForm()
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([])
    expect(w.get('[data-testid="id-problem"]').text()).toBe('Paste at least one id.')
  })

  it('counts pasted ids and duplicates live, then sends each id once with the default domains', async () => {
    const w = mountForm()
    await w
      .get('[data-testid="id-paste-box"]')
      .setValue('GA23100020-A00-011\nGA23100020-A00-012; GA23100020-A00-011,GA2310002*')
    expect(w.get('[data-testid="id-count"]').text()).toBe('4 ids · 3 unique')
    expect(w.get('[data-testid="id-duplicate-count"]').text()).toBe('1 duplicate')
    expect(w.get('[data-testid="id-duplicates"]').text()).toBe('GA23100020-A00-011')
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([
      [
        {
          profile: 'query_tool',
          params: { input_type: 'lot_id', values: ['GA23100020-A00-011', 'GA23100020-A00-012', 'GA2310002*'] },
          domains: ['history', 'materials', 'rejects', 'holds', 'jobs'],
        },
        'auto',
      ],
    ])
  })

  it('stops a GD lot list that holds ids that are not GD lots', async () => {
    const w = mountForm()
    await w.get('[data-testid="mode-reverse"]').trigger('click')
    await w.get('[data-testid="type-gd_lot_id"]').trigger('click')
    await w.get('[data-testid="id-paste-box"]').setValue('GD23120004-A00-001\nGA23100020-A00-011')
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([])
    expect(w.get('[data-testid="id-problem"]').text()).toContain('GD lot ids start with GD: GA23100020-A00-011')
  })

  it('sends a GD order typed as a forward work order to the reverse trace instead', async () => {
    const w = mountForm()
    await w.get('[data-testid="type-work_order"]').trigger('click')
    await w.get('[data-testid="id-paste-box"]').setValue('GD23120004')
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([])
    expect(w.get('[data-testid="id-problem"]').text()).toContain('use Reverse trace → GD work order')
  })

  it('requires at least one domain', async () => {
    const w = mountForm()
    await w.get('[data-testid="id-paste-box"]').setValue('GA1')
    for (const d of ['history', 'materials', 'rejects', 'holds', 'jobs'])
      await w.get(`[data-testid="domain-${d}"]`).setValue(false)
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([])
    expect(w.get('[data-testid="domain-picker"]').text()).toContain('domains must list at least one domain')
  })

  it('validates the MSD date range (at most 365 days) and defaults to the test station with MSD domains', async () => {
    const w = mountForm()
    await w.get('[data-testid="mode-msd"]').trigger('click')
    const station = w.get('[data-testid="msd-station"]').element as HTMLSelectElement
    expect(station.value).toBe('測試')
    expect(station.selectedOptions[0].textContent).toContain('TMTT')
    expect((w.get('[data-testid="domain-upstream_history"]').element as HTMLInputElement).checked).toBe(true)
    expect((w.get('[data-testid="domain-history"]').element as HTMLInputElement).checked).toBe(false)

    await w.get('[data-testid="msd-start"]').setValue('2023-01-01')
    await w.get('[data-testid="msd-end"]').setValue('2024-03-01')
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([])
    expect(w.get('[data-testid="msd-date-problem"]').text()).toContain('at most 365')

    await w.get('[data-testid="msd-start"]').setValue('2023-10-01')
    await w.get('[data-testid="msd-loss-reasons"]').setValue('短路, 開路')
    await w.get('[data-testid="trace-form"]').trigger('submit')
    expect(submitted(w)).toEqual([
      [
        {
          profile: 'mid_section_defect',
          params: {
            mode: 'date_range',
            start_date: '2023-10-01',
            end_date: '2024-03-01',
            direction: 'backward',
            station: '測試',
            loss_reasons: ['短路', '開路'],
          },
          domains: ['upstream_history', 'materials'],
        },
        'auto',
      ],
    ])
  })

  it('switches MSD domains with the direction', async () => {
    const w = mountForm()
    await w.get('[data-testid="mode-msd"]').trigger('click')
    await w.get('[data-testid="msd-forward"]').trigger('click')
    const checked = (d: string): boolean => (w.get(`[data-testid="domain-${d}"]`).element as HTMLInputElement).checked
    expect(checked('downstream_rejects')).toBe(true)
    expect(checked('materials')).toBe(false)
  })
})
