/** "Check ids": resolves what was typed (POST /api/trace/seed-resolve) without running the trace. */
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'
import type { SeedResolveResponse } from '../../shared/responses.ts'
import type { SeedResolveRequest } from '../../shared/schemas.ts'
import { type ApiOptions, resolveSeeds, isAbortError, toStageError, type StageError } from '../api/index.ts'

export interface SeedCheck {
  readonly result: Readonly<ShallowRef<SeedResolveResponse | null>>
  readonly error: Readonly<ShallowRef<StageError | null>>
  readonly loading: Readonly<ShallowRef<boolean>>
  /** Resolves `request`; a newer call drops the older answer. */
  run(request: SeedResolveRequest): Promise<void>
  clear(): void
}

export function useSeedCheck(api: Omit<ApiOptions, 'signal'> = {}): SeedCheck {
  const result = shallowRef<SeedResolveResponse | null>(null)
  const error = shallowRef<StageError | null>(null)
  const loading = shallowRef(false)
  let controller: AbortController | null = null

  function clear(): void {
    controller?.abort()
    controller = null
    result.value = null
    error.value = null
    loading.value = false
  }

  async function run(request: SeedResolveRequest): Promise<void> {
    clear()
    const mine = new AbortController()
    controller = mine
    loading.value = true
    try {
      const answer = await resolveSeeds(request, { ...api, signal: mine.signal })
      if (controller === mine) result.value = answer
    } catch (err) {
      if (controller === mine && !isAbortError(err)) error.value = toStageError(err)
    } finally {
      if (controller === mine) loading.value = false
    }
  }

  onScopeDispose(() => controller?.abort())
  return { result, error, loading, run, clear }
}
