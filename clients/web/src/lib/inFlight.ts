// One submission at a time: a button that sends a mutation is disabled and spinning while its request is in
// flight, and a second click, an Enter in the form or a double-click while it is is dropped (not queued), so
// one press is one request.
import { ref, type Ref } from 'vue'

export interface InFlight {
  /** The key of the submission in flight (a button, a row id), or null when none is. */
  busy: Ref<string | null>
  /** Runs `work` unless a submission is already in flight; undefined when it was dropped. */
  run: <T>(key: string, work: () => Promise<T>) => Promise<T | undefined>
  /** Whether the submission `key` is the one in flight (its button spins, the others are only disabled). */
  is: (key: string) => boolean
}

export function inFlight(): InFlight {
  const busy = ref<string | null>(null)
  async function run<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
    if (busy.value !== null) return undefined
    busy.value = key
    try {
      return await work()
    } finally {
      busy.value = null
    }
  }
  return { busy, run, is: (key: string) => busy.value === key }
}
