// A lot's retention (保存期限) between the API and the dashboard's form, its storage usage read by a person, and the
// API's refusals named by the form's labels.
import { describe, expect, it } from 'vitest'
import { DAYS_MAX, humanBytes, IMAGE_DAYS_MIN, RECORD_DAYS_MIN, retentionForm, retentionInput } from '../src/lib/retention'
import { errorText } from '../src/lib/errors'
import { MutationError } from '../src/graphql/result'

describe('retention', () => {
  it("offers the API's bounds (parking/retention/rules.py)", () => {
    expect([IMAGE_DAYS_MIN, RECORD_DAYS_MIN, DAYS_MAX]).toEqual([30, 365, 3650])
  })

  it('sends back what it read, in whole days', () => {
    const form = retentionForm({ imageRetentionDays: 90, recordRetentionDays: 730 })
    expect(retentionInput(form)).toEqual({ imageDays: 90, recordDays: 730 })
    expect(retentionInput({ imageDays: 90.4, recordDays: 730.6 })).toEqual({ imageDays: 90, recordDays: 731 })
  })

  it('reads bytes in binary steps with one decimal', () => {
    expect(humanBytes(0)).toBe('0 B')
    expect(humanBytes(1023)).toBe('1023 B')
    expect(humanBytes(1536)).toBe('1.5 KB')
    expect(humanBytes(5 * 1024 * 1024)).toBe('5.0 MB')
    expect(humanBytes(3.25 * 1024 ** 3)).toBe('3.3 GB')
    expect(humanBytes(2 * 1024 ** 5)).toBe('2048.0 TB')
  })

  it("names the form's field and keeps the API's zh-CN reason in a refusal", () => {
    const err = new MutationError('INVALID', '图片保存期不得长于记录保存期（365 天）', 'imageDays')
    expect(errorText(err)).toBe('输入无效 (INVALID) · 字段: 图片保存天数 — 图片保存期不得长于记录保存期（365 天）')
  })
})
