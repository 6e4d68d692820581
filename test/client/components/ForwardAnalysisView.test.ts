// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { ForwardAnalysisResult } from '../../../src/shared/defect-analysis.ts'
import ResultsPanel from '../../../src/client/components/results/ResultsPanel.vue'
import { RowStore } from '../../../src/client/rows/row-store.ts'

const FORWARD: ForwardAnalysisResult = {
  direction: 'forward',
  kpi: {
    detection_lots: 3,
    detection_defect_qty: 45,
    lots_tracked: 6,
    stations_reached: 2,
    downstream_reject_qty: 35,
    downstream_reject_rate: 1.5217,
  },
  stations: [
    {
      workcenter_group: '移印',
      lots_reached: 3,
      input_qty: 2300,
      reject_qty: 6,
      reject_rate: 0.2609,
      by_loss_reason: { SMEAR: 6 },
    },
    {
      workcenter_group: '測試',
      lots_reached: 3,
      input_qty: 1700,
      reject_qty: 29,
      reject_rate: 1.7059,
      by_loss_reason: { OPEN: 29 },
    },
  ],
  machines: [
    {
      workcenter_group: '測試',
      equipment_name: 'TT-1',
      lots_reached: 3,
      input_qty: 1700,
      reject_qty: 29,
      reject_rate: 1.7059,
      by_loss_reason: { OPEN: 29 },
    },
  ],
  crosstab: {
    detection_reasons: ['VOID', 'SCRATCH'],
    workcenter_groups: ['移印', '測試'],
    cells: [
      [6, 24],
      [0, 24],
    ],
  },
  seeds: [
    {
      CONTAINERID: 'a',
      CONTAINERNAME: 'GA-D1',
      DETECTION_REASON: 'VOID',
      DETECTION_DEFECT_QTY: 35,
      DOWNSTREAM_REJECT_QTY: 30,
    },
  ],
}

describe('the results panel of a forward investigation', () => {
  it('shows the forward view with its KPI cards, station table and crosstab when the analysis is forward', () => {
    const w = mount(ResultsPanel, {
      props: {
        store: new RowStore(),
        version: 0,
        domains: ['upstream_history', 'downstream_rejects'],
        jobId: 'trace-evt-1',
        streaming: false,
        warnings: [],
        aggregation: { analysis: FORWARD },
        tab: 'aggregation',
      },
    })
    expect(w.find('[data-testid="defect-analysis"]').exists()).toBe(false)
    const view = w.find('[data-testid="forward-analysis"]')
    expect(view.exists()).toBe(true)
    expect(w.find('[data-testid="kpi-cards"]').text()).toContain('Downstream rejects')
    expect(w.find('[data-testid="kpi-cards"]').text()).toContain('1.5217 %')
    expect(w.findAll('[data-testid="forward-stations"] tbody tr').map((r) => r.find('td').text())).toEqual([
      '移印',
      '測試',
    ])
    const rows = w.findAll('[data-testid="forward-crosstab"] tbody tr').map((r) => r.findAll('td').map((c) => c.text()))
    expect(rows).toEqual([
      ['VOID', '6', '24'],
      ['SCRATCH', '', '24'],
    ])
  })
})
