import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import LotMap from '../src/components/LotMap.vue'
import { freeColour, layoutLots } from '../src/lib/lotmap'

const lots = [
  { lotId: '1', name: '西湖', capacity: 400, freeSpaces: 100, latitude: 30.25, longitude: 120.15 },
  { lotId: '2', name: '滨江', capacity: 100, freeSpaces: 0, latitude: 30.2, longitude: 120.2 },
  { lotId: '3', name: '无坐标', capacity: 50, freeSpaces: 5, latitude: null, longitude: null },
]

describe('layoutLots', () => {
  it('keeps north up and east right inside the padded box, sized by capacity', () => {
    const { placed, unplaced } = layoutLots(lots, 800, 500)
    expect(unplaced.map((l) => l.name)).toEqual(['无坐标'])
    const [west, east] = placed
    expect(east.x).toBeGreaterThan(west.x) // 120.2°E lies east of 120.15°E
    expect(east.y).toBeGreaterThan(west.y) // 30.2°N lies south of 30.25°N
    for (const p of placed) {
      expect(p.x).toBeGreaterThanOrEqual(40)
      expect(p.x).toBeLessThanOrEqual(760)
      expect(p.y).toBeGreaterThanOrEqual(40)
      expect(p.y).toBeLessThanOrEqual(460)
    }
    expect([west.r, east.r]).toEqual([24, 16]) // 8 + 16·√(capacity / largest)
    expect([west.free, east.free]).toEqual([0.25, 0])
  })

  it('puts a single lot in the middle', () => {
    const { placed } = layoutLots([lots[0]], 800, 500)
    expect([placed[0].x, placed[0].y]).toEqual([400, 250])
  })

  it('colours by the share of free spaces', () => {
    expect([freeColour(0), freeColour(0.1), freeColour(0.5)]).toEqual(['#d03050', '#f0a020', '#18a058'])
  })
})

describe('LotMap', () => {
  it('draws a dot per placed lot with its free spaces, names the rest, and opens a lot by click or Enter', async () => {
    const wrapper = mount(LotMap, { props: { lots } })
    expect(wrapper.findAll('[data-test=map-free]').map((n) => n.text())).toEqual(['100', '0'])
    expect(wrapper.find('[data-test=map-unplaced]').text()).toContain('无坐标')
    await wrapper.find('[data-test=map-lot-2]').trigger('click')
    await wrapper.find('[data-test=map-lot-1]').trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('open')).toEqual([['2'], ['1']])
  })
})
