// Page URLs with their query, in one place (uni.navigateTo takes a string in both targets).
import type { RestStay } from '@/api/driver'

export function query(params: Record<string, string | number | null | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

export interface StayView {
  stayToken: string
  plate: string
  entryAt: string
  feeFen: number
  couponFen?: number
  lotName?: string
  lotId?: string
}

export function stayUrl(stay: StayView): string {
  return `/pages/stay/stay${query({ ...stay })}`
}

export function restStayView(stay: RestStay): StayView {
  return {
    stayToken: stay.stayToken,
    plate: stay.plate,
    entryAt: stay.entryAt,
    feeFen: stay.feeFen,
    couponFen: stay.couponFen ?? 0,
    lotId: stay.lotId,
  }
}

/** Page options arrive URI-encoded in mp-weixin and decoded in H5; decoding twice is harmless for these values. */
export function option(options: Record<string, string | undefined>, key: string): string {
  const raw = options[key] ?? ''
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export function stayFromOptions(options: Record<string, string | undefined>): StayView | null {
  const stayToken = option(options, 'stayToken')
  if (!stayToken) return null
  return {
    stayToken,
    plate: option(options, 'plate'),
    entryAt: option(options, 'entryAt'),
    feeFen: Number(option(options, 'feeFen')) || 0,
    couponFen: Number(option(options, 'couponFen')) || 0,
    lotName: option(options, 'lotName') || undefined,
    lotId: option(options, 'lotId') || undefined,
  }
}

/** Pages that need a driver token send the driver to log in first; the login page goes back to them, and their
 * onShow carries on. */
export function requireLogin(loggedIn: boolean, back: string): boolean {
  if (loggedIn) return true
  uni.navigateTo({ url: `/pages/login/login${query({ back })}` })
  return false
}

/** An action a page runs on its own (a scanned code in its URL) once the driver is logged in: started from onShow,
 * it asks for a login once; back from the login page without one, it says so instead of asking again. */
export function autoRun(loggedIn: () => boolean, back: () => string, run: () => Promise<void>, refused: () => void) {
  let asked = false
  let done = false
  return () => {
    if (done) return
    if (loggedIn()) {
      done = true
      void run()
    } else if (asked) {
      done = true
      refused()
    } else {
      asked = true
      requireLogin(false, back())
    }
  }
}
