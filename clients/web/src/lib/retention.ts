// A lot's retention (保存期限, GA/T 1742-2020) between the API and the form, and its storage usage read by a person.
import { fill } from './coupons'
import { t } from '../i18n'

/** The API's bounds (parking/retention/rules.py): pictures at least 30 days, records at least a year, neither more
 * than ten years, and pictures never longer than records. The form offers them; the API checks them again and
 * answers a value out of bounds with its code, the field and a zh-CN reason, writing nothing. */
export const IMAGE_DAYS_MIN = 30
export const RECORD_DAYS_MIN = 365
export const DAYS_MAX = 3650

export interface RetentionForm {
  imageDays: number
  recordDays: number
}

export function retentionForm(lot: { imageRetentionDays: number; recordRetentionDays: number }): RetentionForm {
  return { imageDays: lot.imageRetentionDays, recordDays: lot.recordRetentionDays }
}

/** The mutation's input: whole days (an input-number may hold a fraction typed by hand). */
export function retentionInput(f: RetentionForm): RetentionForm {
  return { imageDays: Math.round(f.imageDays), recordDays: Math.round(f.recordDays) }
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** Bytes for a person: 1536 is "1.5 KB" (binary steps, one decimal above bytes). */
export function humanBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

/** "365 天" for the bounds under the fields. */
export function boundsText(min: number, max: number): string {
  return fill(t('retention.bounds'), { min, max })
}
