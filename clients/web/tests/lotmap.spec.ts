import { describe, expect, it } from 'vitest'
import { freeColour, labelSides, mapFocus } from '../src/lib/lotmap'

const lots = [
  { lotId: '1', name: '西湖', capacity: 400, freeSpaces: 100, latitude: 30.25, longitude: 120.15 },
  { lotId: '2', name: '滨江', capacity: 100, freeSpaces: 0, latitude: 30.2, longitude: 120.2 },
  { lotId: '3', name: '无坐标', capacity: 50, freeSpaces: 5, latitude: null, longitude: null },
]

describe('mapFocus', () => {
  it('opens on all of China when no lot has coordinates', () => {
    expect(mapFocus([lots[2]])).toEqual({ center: [104.2, 35.9], zoom: 1 })
  })

  it('centres on the placed lots and zooms in no further than their region', () => {
    const { center, zoom } = mapFocus(lots)
    expect(center[0]).toBeCloseTo(120.175)
    expect(center[1]).toBeCloseTo(30.225)
    expect(zoom).toBe(12)
  })

  it('keeps lots far apart (Shanghai and Yantai) in view', () => {
    const far = [
      { ...lots[0], latitude: 31.17, longitude: 121.42 },
      { ...lots[1], latitude: 37.47, longitude: 121.44 },
    ]
    const { zoom } = mapFocus(far)
    // 36° of latitude on the whole map: 6.3° between them, with the margin, fits at about zoom 3.8.
    expect(zoom).toBeGreaterThan(3)
    expect(zoom).toBeLessThan(4)
  })
})

describe('freeColour', () => {
  it('colours by the share of free spaces', () => {
    expect([freeColour(0), freeColour(0.1), freeColour(0.5)]).toEqual(['#d03050', '#f0a020', '#18a058'])
  })
})

describe('labelSides', () => {
  it('labels each lot away from its nearest neighbour', () => {
    const demo = [
      { lotId: 'xuhui', name: '', capacity: 1, freeSpaces: 0, latitude: 31.17, longitude: 121.42 },
      { lotId: 'tianlin', name: '', capacity: 1, freeSpaces: 0, latitude: 31.16, longitude: 121.43 },
      { lotId: 'yantai1', name: '', capacity: 1, freeSpaces: 0, latitude: 37.47, longitude: 121.44 },
      { lotId: 'yantai2', name: '', capacity: 1, freeSpaces: 0, latitude: 37.45, longitude: 121.45 },
      ...lots,
    ]
    const sides = labelSides(demo)
    expect([sides.get('xuhui'), sides.get('tianlin')]).toEqual(['left', 'right'])
    expect([sides.get('yantai1'), sides.get('yantai2')]).toEqual(['left', 'right'])
    expect([sides.get('1'), sides.get('2'), sides.has('3')]).toEqual(['left', 'right', false])
  })
})
