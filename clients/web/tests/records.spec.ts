import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { loadImage } from '../src/lib/images'
import { resources } from '../src/views/resources'
import { cellText } from '../src/components/resource'

afterEach(() => vi.unstubAllGlobals())

describe('record pictures', () => {
  it('are fetched a few at a time, the rest in turn as earlier ones arrive', async () => {
    const answers: (() => void)[] = []
    const fetch = vi.fn(
      () => new Promise<Response>((resolve) => answers.push(() => resolve(new Response(new Blob(['jpeg']), { status: 200 })))),
    )
    vi.stubGlobal('fetch', fetch)
    const refs = Array.from({ length: 10 }, (_, i) => `2030/01/01/${String(i).repeat(64)}.jpg`)
    const loading = refs.map((ref) => loadImage(ref))
    await flushPromises()
    expect(fetch).toHaveBeenCalledTimes(4)
    answers.shift()!()
    await flushPromises()
    expect(fetch).toHaveBeenCalledTimes(5)
    while (answers.length) {
      answers.shift()!()
      await flushPromises()
    }
    expect(fetch).toHaveBeenCalledTimes(10)
    expect((await Promise.all(loading)).every((url) => url.startsWith('blob:'))).toBe(true)
  })

  it('are a stay row\'s entry, exit and crop, with lot and lane names beside them', () => {
    const row = {
      entryImageRef: 'e.jpg',
      exitImageRef: '',
      plateCropRef: 'c.png',
      lot: { name: '东门停车场' },
      entryLane: { name: '东门入口' },
      exitLane: null,
    }
    const columns = Object.fromEntries(resources.sessions.columns.map((c) => [c.key, c]))
    expect(columns.pictures.images!(row).map((p) => [p.ref, p.alt])).toEqual([
      ['e.jpg', '入场图片'],
      ['', '出场图片'],
      ['c.png', '车牌小图'],
    ])
    expect(cellText(columns.pictures, row)).toBe('e.jpg c.png')
    expect([cellText(columns.lot, row), cellText(columns.entryLane, row), cellText(columns.exitLane, row)]).toEqual([
      '东门停车场',
      '东门入口',
      '',
    ])
  })
})
