// Every enum value the dashboard can show has words in both languages, the helper's value lists match the
// committed schema, and an error reads in the operator's language with its field.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dictionaryKeys, locale, t } from '../src/i18n'
import { resources } from '../src/views/resources'
import { deviceRefusals, faultTickets } from '../src/views/fieldResources'
import { ENUM_VALUES, auditAction, enumKey, enumLabel } from '../src/lib/enums'
import { cellText, selectOptions } from '../src/components/resource'
import { errorText } from '../src/lib/errors'
import { MutationError } from '../src/graphql/result'

const ROOT = join(__dirname, '..', '..', '..')
const SDL = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8')

/** The string values of a Python StrEnum class in a server module (`NAME = "value"` lines of its body). */
function pythonEnum(path: string, cls: string): string[] {
  const source = readFileSync(join(ROOT, path), 'utf8')
  const body = source.split(`class ${cls}(StrEnum):`)[1].split(/\n\S/)[0]
  return [...body.matchAll(/^\s+[A-Z_]+ = "([^"]+)"/gm)].map((m) => m[1])
}

function schemaEnum(name: string): string[] | null {
  const body = SDL.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))?.[1]
  if (!body) return null
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[A-Z][A-Z0-9_]*$/.test(l))
}

afterEach(() => {
  locale.value = 'zh-CN'
})

describe('enum labels', () => {
  it('has a zh-CN and an English label for every value', () => {
    const missing = Object.entries(ENUM_VALUES).flatMap(([name, values]) =>
      values
        .map((v) => enumKey(name, v))
        .filter((k) => !dictionaryKeys.zh.includes(k) || !dictionaryKeys.en.includes(k)),
    )
    expect(missing).toEqual([])
  })

  it('lists exactly the values of each GraphQL enum it names', () => {
    const differ = Object.entries(ENUM_VALUES).filter(([name, values]) => {
      const sdl = schemaEnum(name)
      return sdl !== null && [...sdl].sort().join() !== [...values].sort().join()
    })
    expect(differ.map(([name]) => name)).toEqual([])
  })

  it('lists the server strings it labels: lane decision reasons and permissions', () => {
    expect([...ENUM_VALUES.DecisionReason].sort()).toEqual(pythonEnum('parking/lanes/decisions.py', 'Reason').sort())
    expect([...ENUM_VALUES.Permission].sort()).toEqual(pythonEnum('parking/accounts/permissions.py', 'Perm').sort())
  })

  it('reads an audit action as words, and one it does not know as its code', () => {
    expect(auditAction('operator.create')).toBe('新增操作员')
    expect(auditAction('lane.remote_open')).toBe('远程开闸')
    expect(auditAction('gizmo.frobnicate')).toBe('gizmo.frobnicate')
    locale.value = 'en'
    expect(auditAction('parkingcode.delete')).toBe('Delete Parking code')
  })

  it('reads a value in the current language, and an unknown one as it came', () => {
    expect(enumLabel('DeviceStatus', 'ONLINE')).toBe('在线')
    expect(enumLabel('RefundStatus', 'REQUESTED')).toBe('待审批')
    expect(enumLabel('PaymentChannel', 'CASH')).toBe('现金')
    expect(enumLabel('DeviceStatus', 'NEW_STATE')).toBe('NEW_STATE')
    expect(enumLabel('DeviceStatus', null)).toBe('')
    locale.value = 'en'
    expect(enumLabel('DeviceStatus', 'ONLINE')).toBe('Online')
  })

  it('labels table cells (and so CSV cells) and filter options by the column or filter enum', () => {
    expect(cellText({ key: 'status', label: 'common.status', enum: 'SessionState' }, { status: 'IN_LOT' })).toBe('在场')
    const options = selectOptions({ enum: 'AlarmSeverity' })
    expect(options).toEqual([
      { value: 'INFO', label: '提示' },
      { value: 'WARNING', label: '警告' },
      { value: 'CRITICAL', label: '严重' },
    ])
    expect(selectOptions({ enum: 'PassStatus', options: ['ACTIVE'] })).toEqual([{ value: 'ACTIVE', label: '有效' }])
  })
})

describe('error text', () => {
  it('names the code and the field in the chosen language first, the server message second', () => {
    const err = new MutationError('INSUFFICIENT_FUNDS', 'balance 3.00 < 5.00', 'input.amountFen')
    expect(errorText(err)).toBe('余额不足 (INSUFFICIENT_FUNDS) · 字段: 金额 (元) — balance 3.00 < 5.00')
    expect(errorText(new MutationError('USED', '此码已用完'))).toBe('已使用 (USED) — 此码已用完')
    locale.value = 'en'
    expect(errorText(err)).toBe('Insufficient funds (INSUFFICIENT_FUNDS) · field: Amount (yuan) — balance 3.00 < 5.00')
  })
})

describe('table headers', () => {
  it('are Chinese in zh-CN for every list page (and so are the CSV headers, which are the same labels)', () => {
    const pages = { ...resources, deviceRefusals, faultTickets }
    const latin = Object.entries(pages).flatMap(([name, r]) =>
      r.columns.map((c) => `${name}.${c.key}: ${t(c.label)}`).filter((s) => !/[\u4e00-\u9fff]/.test(s)),
    )
    expect(latin).toEqual([])
  })
})
