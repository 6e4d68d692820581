/** A clock for elapsed/ETA displays: `Date.now()`, refreshed every `intervalMs` while `active` is true. */
import { onScopeDispose, shallowRef, watch, type Ref, type ShallowRef } from 'vue'

export function useNow(active: Ref<boolean>, intervalMs = 1000): Readonly<ShallowRef<number>> {
  const now = shallowRef(Date.now())
  let timer: ReturnType<typeof setInterval> | null = null
  const stop = (): void => {
    if (timer !== null) clearInterval(timer)
    timer = null
  }
  watch(
    active,
    (on) => {
      stop()
      now.value = Date.now()
      if (on) timer = setInterval(() => (now.value = Date.now()), intervalMs)
    },
    { immediate: true },
  )
  onScopeDispose(stop)
  return now
}
