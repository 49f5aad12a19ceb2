import { describe, expect, it } from 'vitest'
import { patchRow } from '../src/lib/rows'
import { listVariables } from '../src/components/resource'
import { errorText } from '../src/lib/errors'
import { MutationError } from '../src/graphql/result'
import { menuFor } from '../src/routes'

describe('field pages', () => {
  it('patches the row a live device update is about and ignores others', () => {
    const rows: Record<string, unknown>[] = [
      { id: '1', name: 'camera', status: 'ONLINE', errorCount: 0 },
      { id: '2', name: 'relay', status: 'ONLINE', errorCount: 0 },
    ]
    expect(patchRow(rows, { id: '2', __typename: 'Device', status: 'OFFLINE', errorCount: 3 })).toBe(true)
    expect(rows).toEqual([
      { id: '1', name: 'camera', status: 'ONLINE', errorCount: 0 },
      { id: '2', name: 'relay', status: 'OFFLINE', errorCount: 3 },
    ])
    expect(patchRow(rows, { id: '9', status: 'OFFLINE' })).toBe(false)
  })

  it('sends top-level filters for lists without a filter input', () => {
    const filters = [
      { name: 'serial', label: '', kind: 'text' as const },
      { name: 'at', label: '', kind: 'datetimerange' as const, range: ['atFrom', 'atTo'] as [string, string] },
    ]
    expect(listVariables({ serial: 'CAM-9', at: ['2026-11-21T00:00:00Z', ''] }, filters, null, 50, true, true)).toEqual({
      first: 50,
      after: null,
      serial: 'CAM-9',
      atFrom: '2026-11-21T00:00:00.000Z',
    })
  })

  it("shows the API's error code with its meaning", () => {
    expect(errorText(new MutationError('INVALID', "not a plate: 'x'", 'plate'))).toBe("输入无效 (INVALID) · 字段: 车牌 — not a plate: 'x'")
    expect(errorText(new MutationError('SOMETHING_NEW', 'odd'))).toBe('SOMETHING_NEW: odd')
  })

  it('offers the new pages only with the permissions the API requires', () => {
    const paths = (perms: string[]) => menuFor(perms).flatMap((g) => g.items.map((i) => i.path))
    expect(paths(['sessions.correct'])).toEqual(['/recognition/corrections'])
    expect(paths(['faults.manage'])).toEqual(['/faults'])
    expect(paths(['devices.view'])).toEqual(['/devices'])
    expect(menuFor(['sessions.correct'])[0].group).toBe('recognition')
  })
})
