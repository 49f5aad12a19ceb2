import { describe, expect, it } from 'vitest'
import { yuan } from '@/logic/money'
import { isPlate, normalizePlate } from '@/logic/plate'
import { parseScanned } from '@/logic/scan'
import { elapsed, distance, hourMinute } from '@/logic/duration'
import { query, restStayView, stayFromOptions, stayUrl } from '@/logic/navigate'

describe('money', () => {
  it('shows fen as yuan with two decimals', () => {
    expect(yuan(0)).toBe('0.00')
    expect(yuan(5)).toBe('0.05')
    expect(yuan(1250)).toBe('12.50')
    expect(yuan(-300)).toBe('-3.00')
  })
})

describe('plates', () => {
  it('normalizes what the driver types', () => {
    expect(normalizePlate(' 京a·123 45 ')).toBe('京A12345')
  })
  it('accepts ordinary and new-energy plates and refuses others', () => {
    expect(isPlate('京A12345')).toBe(true)
    expect(isPlate('粤BD12345')).toBe(true)
    expect(isPlate('京A1234学')).toBe(true)
    expect(isPlate('A12345')).toBe(false)
    expect(isPlate('京A1234')).toBe(false)
    expect(isPlate('京AI2345')).toBe(false)
  })
})

describe('scanned codes', () => {
  it('reads a printed parking code URL', () => {
    expect(parseScanned('https://park.example.com/m/c/3f.AbCd.1x2y')).toEqual({ kind: 'code', payload: '3f.AbCd.1x2y' })
  })
  it('reads the H5 landing with the payload', () => {
    expect(parseScanned('3f.AbCdEf.1x2y3z.0123')).toEqual({ kind: 'code', payload: '3f.AbCdEf.1x2y3z.0123' })
  })
  it('reads a lane token, bare or as a URL', () => {
    expect(parseScanned('abcdefghijklmnopqrstuvwx')).toEqual({ kind: 'lane', token: 'abcdefghijklmnopqrstuvwx' })
    expect(parseScanned('https://x/m/l/abcdefghijklmnopqrstuvwx')).toEqual({ kind: 'lane', token: 'abcdefghijklmnopqrstuvwx' })
  })
  it('refuses anything else', () => {
    expect(parseScanned('hello world')).toEqual({ kind: 'unknown' })
  })
})

describe('durations', () => {
  it('says how long in zh-CN', () => {
    const now = new Date('2026-12-06T12:00:00Z')
    expect(elapsed('2026-12-06T11:55:00Z', now)).toBe('5 分钟')
    expect(elapsed('2026-12-06T09:50:00Z', now)).toBe('2 小时 10 分钟')
    expect(elapsed('2026-12-04T10:00:00Z', now)).toBe('2 天 2 小时')
    expect(distance(850)).toBe('850 米')
    expect(distance(1850)).toBe('1.9 公里')
  })
})

describe('leave-by time', () => {
  it('is the hour and minute on the lot\'s clock (UTC+8), whatever the phone\'s zone', () => {
    expect(hourMinute('2026-12-06T10:07:00Z')).toBe('18:07')
    expect(hourMinute('2026-12-06T16:30:00+00:00')).toBe('00:30')
  })
})

describe('navigation', () => {
  it('carries a scanned stay\'s coupons and lot to the stay page', () => {
    const view = restStayView({ stayToken: 't', plate: '粤B12345', entryAt: 'e', feeFen: 400, couponFen: 200, lotId: '7' })
    expect(stayFromOptions({ ...view, feeFen: '400', couponFen: '200' })).toMatchObject({ couponFen: 200, lotId: '7' })
    expect(restStayView({ stayToken: 't', plate: 'p', entryAt: 'e', feeFen: 0, lotId: '7' }).couponFen).toBe(0)
  })

  it('carries a stay through the page URL and back', () => {
    const stay = { stayToken: 'a.b+c/=', plate: '京A·***45', entryAt: '2026-12-06T10:00:00Z', feeFen: 1200 }
    const url = stayUrl(stay)
    const params = Object.fromEntries(url.split('?')[1].split('&').map((kv) => kv.split('=') as [string, string]))
    expect(stayFromOptions(params)).toEqual({ ...stay, couponFen: 0, lotName: undefined })
    expect(query({ a: 1, b: null, c: '' })).toBe('?a=1')
  })
})

describe('autoRun', () => {
  it('asks for a login once, runs once logged in, and gives up when the driver came back without one', async () => {
    const { installUni } = await import('./uni-stub')
    const { autoRun } = await import('@/logic/navigate')
    const { uni } = installUni()
    let loggedIn = false
    const runs: string[] = []
    const step = autoRun(() => loggedIn, () => '/pages/lane/lane?token=t', async () => void runs.push('run'), () => runs.push('refused'))
    step()
    expect(uni.navigateTo).toHaveBeenCalledWith({ url: '/pages/login/login?back=%2Fpages%2Flane%2Flane%3Ftoken%3Dt' })
    loggedIn = true
    step()
    step()
    expect(runs).toEqual(['run'])
    const refused = autoRun(() => false, () => '/x', async () => void runs.push('run'), () => runs.push('refused'))
    refused()
    refused()
    refused()
    expect(runs).toEqual(['run', 'refused'])
  })
})
