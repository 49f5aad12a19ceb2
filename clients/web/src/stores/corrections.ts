// The correction queue's state: open tasks oldest first, the one being looked at, the plate about to be sent.
// Pure (no network) so the keyboard flow is unit-tested; CorrectionsView feeds it and sends the resolve.
import { computed, reactive } from 'vue'
import { checkPlate, type PlateCheck } from '../lib/plate'
import { typingInField, type KeyLike } from './shortcuts'

export interface Candidate {
  plate: string
  sources: string[]
  confidence: number
}

export interface CorrectionTask {
  id: string
  lotId: string
  laneEventId: string
  sessionId?: string | null
  status: string
  imageRef: string
  cropRef: string
  cameraPlate: string
  plate: string
  reason: string
  detail: string
  createdAt: string
  candidates: Candidate[]
  readings: { source: string; text: string; confidence: number }[]
}

export type QueueCommand =
  | { kind: 'pick'; index: number }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'resolve' }
  | { kind: 'type' }

function isControl(target: EventTarget | null | undefined): boolean {
  const tag = (target as HTMLElement | null | undefined)?.tagName
  return tag === 'BUTTON' || tag === 'A'
}

/** The queue command for a key press, or null. Digits typed into the plate field are plate text, not picks. */
export function queueCommandFor(event: KeyLike): QueueCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return null
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  if (/^[1-9]$/.test(key)) return { kind: 'pick', index: Number(key) - 1 }
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'next' }
    case 'k':
    case 'ArrowUp':
      return { kind: 'prev' }
    case 'Enter':
      // Enter on a focused button or link is that control's own click.
      return isControl(event.target) ? null : { kind: 'resolve' }
    case 'p':
    case '/':
      return { kind: 'type' }
    default:
      return null
  }
}

export function createCorrectionQueue() {
  const state = reactive({ tasks: [] as CorrectionTask[], selectedId: null as string | null, draft: '' })

  const selected = computed(() => state.tasks.find((t) => t.id === state.selectedId) ?? state.tasks[0] ?? null)
  const check = computed<PlateCheck>(() => checkPlate(state.draft))

  function select(id: string | null): void {
    state.selectedId = id
    // A new task starts from what the camera read: often one character off, quicker to edit than to type.
    state.draft = selected.value?.cameraPlate ?? ''
  }

  /** Replace the list (a query answered); the selection stays on its task while it is still open. */
  function setTasks(tasks: readonly CorrectionTask[]): void {
    const keep = state.selectedId && tasks.some((t) => t.id === state.selectedId)
    state.tasks = [...tasks]
    if (!keep) select(state.tasks[0]?.id ?? null)
  }

  /** Put candidate `index` (0-based, as shown 1-9) into the plate field; false when there is none. */
  function pick(index: number): boolean {
    const candidate = selected.value?.candidates[index]
    if (!candidate) return false
    state.draft = candidate.plate
    return true
  }

  function move(step: 1 | -1): void {
    const list = state.tasks
    if (list.length === 0) return
    const current = list.findIndex((t) => t.id === selected.value?.id)
    select(list[(current + step + list.length) % list.length].id)
  }

  /** A resolved task leaves the queue; the next one (or the previous, at the end) is selected. */
  function remove(id: string): void {
    const index = state.tasks.findIndex((t) => t.id === id)
    if (index < 0) return
    const wasSelected = selected.value?.id === id
    state.tasks.splice(index, 1)
    if (wasSelected) select(state.tasks[Math.min(index, state.tasks.length - 1)]?.id ?? null)
  }

  return { state, selected, check, select, setTasks, pick, move, remove }
}

export type CorrectionQueue = ReturnType<typeof createCorrectionQueue>
