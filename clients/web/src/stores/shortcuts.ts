// Keyboard shortcuts of the cloud-seat console, as a pure key -> command mapping (tested without a DOM).

export type ConsoleCommand =
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'acknowledge' }
  | { kind: 'resolve' }
  | { kind: 'open' }
  | { kind: 'correct' }
  | { kind: 'waive' }
  | { kind: 'pick'; index: number }
  | { kind: 'filter' }

export interface KeyLike {
  key: string
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
  target?: EventTarget | null
}

/** Whether a key goes into a text field (then it is text, not a shortcut). */
export function typingInField(target: EventTarget | null | undefined): boolean {
  const el = target as HTMLElement | null | undefined
  if (!el || typeof el.tagName !== 'string') return false
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable === true
}

/** The console command for a key press, or null (typing in a field and modified keys are left alone). */
export function commandFor(event: KeyLike): ConsoleCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return null
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'next' }
    case 'k':
    case 'ArrowUp':
      return { kind: 'prev' }
    case 'a':
      return { kind: 'acknowledge' }
    case 'r':
      return { kind: 'resolve' }
    case 'o':
      return { kind: 'open' }
    case 'c':
      return { kind: 'correct' }
    case 'w':
      return { kind: 'waive' }
    case '/':
      return { kind: 'filter' }
    default:
      if (/^[1-9]$/.test(key)) return { kind: 'pick', index: Number(key) - 1 }
      return null
  }
}
