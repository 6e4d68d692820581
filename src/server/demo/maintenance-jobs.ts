/**
 * DW_MES_JOB rows for one family: repairs and preventive maintenance on machines its lots used, each
 * listing the lots the machine ran in the day before the job (CONTAINERIDS / CONTAINERNAMES, same order).
 * Bad machines get far more repair jobs, as they would on a real floor.
 */
import { formatTimestamp, jobId, maintenanceOrderName } from './names.ts'
import { MACHINES, isBadMachine } from './machines.ts'
import { TABLE, type FamilyRun, type Visit } from './station-events.ts'

const LOOKBACK_SECONDS = 24 * 3600
const MAX_LISTED = 25

const CAUSES = ['磨耗', '參數漂移', '異物', 'Sensor fault', '人為操作', '真空不足'] as const
const REPAIRS = ['更換零件', '校正', '清潔', 'Replace capillary', 'Reset parameters', '更換刀片'] as const
const SYMPTOMS = ['良率偏低', '警報停機', '斷線', 'Position error', '異音', '溫度異常'] as const
const ROUTINE_MODELS = ['EQ_PM_WEEKLY', 'EQ_PM_MONTHLY', 'EQ_CALIBRATION'] as const

/** Emits the family's maintenance jobs; call after every lot of the family has run. */
export function emitMaintenanceJobs(run: FamilyRun): void {
  const { rng, ctx } = run
  const byMachine = new Map<number, Visit[]>()
  for (const v of run.visits) {
    const list = byMachine.get(v.machine)
    if (list) list.push(v)
    else byMachine.set(v.machine, [v])
  }
  for (const trigger of run.visits) {
    const bad = isBadMachine(trigger.machine)
    if (!rng.chance(bad ? 0.06 : 0.004)) continue
    const repair = bad || rng.chance(0.35)
    const created = trigger.at + rng.int(600, 8 * 3600)
    if (created >= ctx.spanEnd) continue
    const completed = created + rng.int(1, 12) * 3600 + rng.int(0, 3599)
    const status = completed >= ctx.spanEnd ? 'Open' : rng.chance(0.03) ? 'Cancelled' : 'Completed'
    const listed = repair || rng.chance(0.8)
    const ids: string[] = []
    const names: string[] = []
    if (listed) {
      for (const v of byMachine.get(trigger.machine) ?? []) {
        if (v.at > created - LOOKBACK_SECONDS && v.at <= created && !ids.includes(v.cid) && ids.length < MAX_LISTED) {
          ids.push(v.cid)
          names.push(v.name)
        }
      }
    }
    const machine = MACHINES[trigger.machine]
    ctx.emit(TABLE.jobs, [
      jobId(ctx.seed, ctx.counters.nextJob()),
      machine.id,
      machine.name,
      status,
      repair ? 'EQ_REPAIR' : rng.pick(ROUTINE_MODELS),
      maintenanceOrderName(ctx.counters, created),
      formatTimestamp(created),
      status === 'Open' ? null : formatTimestamp(completed),
      repair ? rng.pick(CAUSES) : null,
      repair ? rng.pick(REPAIRS) : null,
      repair ? rng.pick(SYMPTOMS) : null,
      ids.length > 0 ? ids.join(',') : null,
      names.length > 0 ? names.join(',') : null,
    ])
  }
}
