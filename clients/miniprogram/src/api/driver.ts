// The drivers' REST endpoints (api/driver.py): login with a wx.login code, lane codes, signed parking codes.
import { auth } from '@/stores/auth'
import { request } from './http'

export interface RestError {
  error: { code: string; message: string }
}

export interface RestStay {
  stayToken: string
  plate: string
  entryAt: string
  feeFen: number
  /** What the merchant coupons took off (the fee is after them). */
  couponFen?: number
  lotId: string
}

export interface NoPlateAnswer {
  opened: boolean
  reason: string
  lines: string[]
  feeFen: number
  stayToken: string | null
}

export type CodeScanAnswer =
  | { kind: 'exit'; laneId: string; waiting: RestStay | null }
  | { kind: 'in_lot'; stay: RestStay | null }
  | ({ kind: 'no_plate' } & NoPlateAnswer)
  | { kind: string; coupon: { code: string; kind: string; value: number; plate: string; validUntil: string } }

export type Answer<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string }

function answer<T>(status: number, data: T | RestError): Answer<T> {
  if (status >= 200 && status < 300) return { ok: true, value: data as T }
  const error = (data as RestError | null)?.error
  return { ok: false, status, code: error?.code ?? 'server', message: error?.message ?? '' }
}

/** Exchange a wx.login code for a driver token, and keep it. */
export async function login(code: string): Promise<Answer<{ token: string; openid?: string }>> {
  const res = await request<{ token: string; openid?: string; expiresIn?: number } | RestError>('/api/driver/login', {
    method: 'POST',
    data: { code },
    token: null,
  })
  const result = answer(res.status, res.data)
  if (result.ok) auth.set(result.value.token, result.value.openid ?? null, (res.data as { expiresIn?: number }).expiresIn ?? 7 * 86400)
  return result
}

/** A no-plate driver (无牌车) scans a lane's code: at an entry to come in, at an exit to leave or pay. */
export async function laneScan(token: string): Promise<Answer<NoPlateAnswer>> {
  const res = await request<NoPlateAnswer | RestError>(`/api/driver/lanes/${encodeURIComponent(token)}/scan`, {
    method: 'POST',
    data: {},
  })
  return answer(res.status, res.data)
}

/** A signed parking code (exit, in-lot, coupon, no-plate), scanned by a logged-in driver. */
export async function codeScan(payload: string, plate?: string): Promise<Answer<CodeScanAnswer>> {
  const res = await request<CodeScanAnswer | RestError>('/api/driver/codes/scan', {
    method: 'POST',
    data: plate ? { payload, plate } : { payload },
  })
  return answer(res.status, res.data)
}
