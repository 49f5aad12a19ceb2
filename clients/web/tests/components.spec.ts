import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import LaneTile from '../src/components/LaneTile.vue'
import AlarmQueue from '../src/components/AlarmQueue.vue'
import AuthImage from '../src/components/AuthImage.vue'
import type { LaneTile as Tile } from '../src/stores/console'
import { setToken } from '../src/stores/auth'

const lane = { id: '5', name: '东门入口', direction: 'ENTRY', mode: 'AUTO', online: true }
const IMAGE = `2026/11/21/${'a'.repeat(64)}.jpg`

afterEach(() => {
  vi.unstubAllGlobals()
  setToken(null)
})

describe('LaneTile', () => {
  it('shows the plate, barrier and who is waiting, and emits its lane on click', async () => {
    // The picture is fetched with the operator's token (an <img src> could not send it) and shown from a blob.
    setToken('tok')
    const fetch = vi.fn(async () => new Response(new Blob(['jpeg']), { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    const tile: Tile = {
      lane,
      latest: { id: '1', laneId: '5', kind: 'ENTRY', at: '2026-11-21T10:00:00Z', plate: '京A12345', plateColor: 'BLUE', confidence: 0.6, imageRef: IMAGE, opened: false, decisionReason: '低置信度' },
      barrier: 'CLOSED',
      waiting: null,
      alarmCount: 2,
      eventCount: 1,
    }
    tile.waiting = tile.latest
    const wrapper = mount(LaneTile, { props: { tile }, global: { plugins: [ElementPlus] } })
    expect(wrapper.get('[data-test=plate]').text()).toBe('京A12345')
    expect(wrapper.get('[data-test=barrier]').text()).toContain('已关')
    expect(wrapper.get('[data-test=waiting]').text()).toContain('低置信度')
    expect(wrapper.get('[data-test=alarm-count]').text()).toBe('2')
    expect(wrapper.getComponent(AuthImage).props('imageRef')).toBe(IMAGE)
    await flushPromises()
    expect(fetch).toHaveBeenCalledWith(`/api/images/${IMAGE}`, { headers: { Authorization: 'Bearer tok' } })
    expect(wrapper.get('img').attributes('src')).toMatch(/^blob:/)
    await wrapper.trigger('click')
    expect(wrapper.emitted('select')).toEqual([['5']])
  })

  it('shows a dash before any reading', () => {
    const tile: Tile = { lane, latest: null, barrier: 'UNKNOWN', waiting: null, alarmCount: 0, eventCount: 0 }
    const wrapper = mount(LaneTile, { props: { tile }, global: { plugins: [ElementPlus] } })
    expect(wrapper.get('[data-test=plate]').text()).toBe('—')
    expect(wrapper.find('[data-test=waiting]').exists()).toBe(false)
    expect(wrapper.find('[data-test=alarm-count]').exists()).toBe(false)
  })
})

describe('AlarmQueue', () => {
  const alarms = [
    { id: '1', lotId: '9', laneId: '5', kind: 'BLACKLIST', severity: 'CRITICAL', status: 'OPEN', raisedAt: '2026-11-21T10:00:00Z', plate: '京A12345', message: '黑名单' },
    { id: '2', lotId: '9', laneId: '5', kind: 'LOW_CONFIDENCE', severity: 'WARNING', status: 'ACKNOWLEDGED', raisedAt: '2026-11-21T10:01:00Z', plate: '京B1', message: '' },
  ]

  it('lists alarms, marks the selected one and emits select and acknowledge', async () => {
    const wrapper = mount(AlarmQueue, { props: { alarms, selectedId: '2' }, global: { plugins: [ElementPlus] } })
    const items = wrapper.findAll('li[role=option]')
    expect(items.map((i) => i.attributes('aria-selected'))).toEqual(['false', 'true'])
    expect(items[0].text()).toContain('黑名单')
    // Only the open alarm offers acknowledge.
    expect(items[0].find('button').exists()).toBe(true)
    expect(items[1].find('button').exists()).toBe(false)
    await items[0].find('button').trigger('click')
    expect(wrapper.emitted('acknowledge')).toEqual([['1']])
    expect(wrapper.emitted('select')).toBeUndefined()
    await items[1].trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('select')).toEqual([['2']])
  })

  it('says when the queue is empty', () => {
    const wrapper = mount(AlarmQueue, { props: { alarms: [], selectedId: null }, global: { plugins: [ElementPlus] } })
    expect(wrapper.findAll('li[role=option]')).toHaveLength(0)
    expect(wrapper.text()).toContain('暂无数据')
  })
})
