// What a coupon's terms mean in words (the template form's live preview, the coupon list), and the template
// value's per-kind units: minutes, fen typed as yuan, percent PAID (80 = 八折), minute of the local day (UNTIL).
import { t } from '../i18n'
import { yuan } from './format'

export const COUPON_KINDS = ['MINUTES', 'AMOUNT', 'PERCENT', 'FULL', 'UNTIL'] as const
export const COUPON_STATUSES = ['ISSUED', 'REDEEMED', 'EXPIRED', 'VOID'] as const
export const COUPON_SOURCES = ['MERCHANT', 'CLAIM', 'VIP', 'CONFERENCE', 'LOT'] as const
export const CODE_KINDS = ['NO_PLATE', 'EXIT', 'IN_LOT', 'MERCHANT', 'CONFERENCE', 'VIP'] as const
export type CouponKind = (typeof COUPON_KINDS)[number]

export interface CouponTerms {
  kind: string
  value: number
  validMinutes?: number | null
  priceFen?: number | null
  maxPerStay?: number | null
  maxPerPlatePerDay?: number | null
  stackable?: boolean | null
}

/** `{name}` placeholders of a catalogue text filled in. */
export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** 90 -> "1 小时 30 分钟" / "1 h 30 min"; whole days as days. */
export function duration(minutes: number): string {
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  const parts: string[] = []
  if (days) parts.push(fill(t('coupon.days'), { n: days }))
  if (hours) parts.push(fill(t('coupon.hours'), { n: hours }))
  if (mins || !parts.length) parts.push(fill(t('coupon.minutes'), { n: mins }))
  return parts.join(' ')
}

/** Minute of the day -> "HH:MM" (an UNTIL coupon's clock time). */
export function clock(minuteOfDay: number): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(minuteOfDay / 60) % 24)}:${pad(minuteOfDay % 60)}`
}

/** "HH:MM" -> minute of the day; null for anything else. */
export function minuteOfDay(text: unknown): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(text ?? '').trim())
  if (!m) return null
  const [h, mm] = [Number(m[1]), Number(m[2])]
  return h < 24 && mm < 60 ? h * 60 + mm : null
}

/** Percent paid -> the Chinese 折 number: 80 -> "8", 85 -> "8.5". */
export function zhe(percentPaid: number): string {
  return String(percentPaid / 10)
}

/** What one coupon of these terms takes off, in a short phrase (the coupon list's value column). */
export function couponValue(terms: Pick<CouponTerms, 'kind' | 'value'>): string {
  const v = terms.value
  switch (terms.kind) {
    case 'MINUTES':
      return fill(t('coupon.meaning.MINUTES'), { duration: duration(v) })
    case 'AMOUNT':
      return fill(t('coupon.meaning.AMOUNT'), { yuan: yuan(v) })
    case 'PERCENT':
      return fill(t('coupon.meaning.PERCENT'), { zhe: zhe(v), paid: v, off: 100 - v })
    case 'FULL':
      return t('coupon.meaning.FULL')
    case 'UNTIL':
      return fill(t('coupon.meaning.UNTIL'), { time: clock(v) })
    default:
      return String(v)
  }
}

/** The whole of a template's terms in sentences: what it takes off, how long it lasts, its limits and price. */
export function couponMeaning(terms: CouponTerms): string {
  const parts = [couponValue(terms)]
  if (terms.validMinutes) parts.push(fill(t('coupon.meaning.valid'), { duration: duration(terms.validMinutes) }))
  if (terms.maxPerStay) parts.push(fill(t('coupon.meaning.perStay'), { n: terms.maxPerStay }))
  if (terms.maxPerPlatePerDay) parts.push(fill(t('coupon.meaning.perPlateDay'), { n: terms.maxPerPlatePerDay }))
  if (terms.stackable === false) parts.push(t('coupon.meaning.notStackable'))
  if (terms.priceFen !== null && terms.priceFen !== undefined) {
    parts.push(terms.priceFen ? fill(t('coupon.meaning.price'), { yuan: yuan(terms.priceFen) }) : t('coupon.meaning.free'))
  }
  return parts.join(t('coupon.meaning.sep'))
}

/**
 * The template's `value` from the form's field for its kind: `minutes`, `amount` in yuan (to fen), `percent`
 * paid, `until` "HH:MM" (to the minute of the day), 0 for FULL. Null when that field is not a valid value.
 */
export function templateValue(kind: string, form: Record<string, unknown>): number | null {
  const whole = (v: unknown, lo: number, hi: number) => {
    const n = Number(v ?? NaN)
    return Number.isInteger(n) && n >= lo && n <= hi ? n : null
  }
  switch (kind) {
    case 'FULL':
      return 0
    case 'AMOUNT': {
      const fen = Math.round(Number(form.amount ?? 0) * 100)
      return fen > 0 ? fen : null
    }
    case 'UNTIL':
      return minuteOfDay(form.until)
    case 'PERCENT':
      return whole(form.percent, 1, 99)
    case 'MINUTES':
      return whole(form.minutes, 1, 100_000)
    default:
      return null
  }
}

/** The form fields holding a template's `value` for its kind (the inverse of templateValue). */
export function valueFields(kind: string, value: number): Record<string, unknown> {
  const fields: Record<string, unknown> = { minutes: 60, percent: 80, amount: 5, until: '' }
  if (kind === 'MINUTES') fields.minutes = value
  if (kind === 'PERCENT') fields.percent = value
  if (kind === 'AMOUNT') fields.amount = value / 100
  if (kind === 'UNTIL') fields.until = clock(value)
  return fields
}
