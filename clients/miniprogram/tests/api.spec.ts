import { beforeEach, describe, expect, it } from 'vitest'
import { installUni } from './uni-stub'
import { auth } from '@/stores/auth'
import { login, laneScan } from '@/api/driver'
import { gql, GraphQLRequestError } from '@/api/graphql'
import { followOrder, PaymentStatusDocument } from '@/api/payments'

beforeEach(() => {
  installUni()
  auth.clear()
})

describe('auth store', () => {
  it('keeps the session across launches and forgets it on clear', () => {
    const { storage } = installUni()
    auth.set('tok', 'o-1', 3600)
    expect(auth.loggedIn.value).toBe(true)
    auth.restore()
    expect(auth.token).toBe('tok')
    expect(auth.openid).toBe('o-1')
    auth.clear()
    expect(storage.size).toBe(0)
    expect(auth.loggedIn.value).toBe(false)
  })
  it('drops an expired session on restore', () => {
    const { storage } = installUni()
    storage.set('parkcloud.auth', JSON.stringify({ token: 't', openid: null, expiresAt: Date.now() - 1 }))
    auth.restore()
    expect(auth.token).toBeNull()
  })
})

describe('request layer', () => {
  it('logs in with a code and sends the token afterwards', async () => {
    const { requests } = installUni((req) =>
      req.url.endsWith('/api/driver/login')
        ? { statusCode: 200, data: { token: 'drv', openid: 'o-9', expiresIn: 60 } }
        : { statusCode: 200, data: { opened: true, reason: 'ok', lines: [], feeFen: 0, stayToken: null } },
    )
    const result = await login('code-1')
    expect(result.ok).toBe(true)
    expect(requests[0].header?.Authorization).toBeUndefined()
    expect(requests[0].data).toEqual({ code: 'code-1' })
    const scan = await laneScan('lane/1')
    expect(scan).toEqual({ ok: true, value: { opened: true, reason: 'ok', lines: [], feeFen: 0, stayToken: null } })
    expect(requests[1].url).toBe('/api/driver/lanes/lane%2F1/scan')
    expect(requests[1].header?.Authorization).toBe('Bearer drv')
  })
  it('turns a REST error into a coded answer and forgets a refused token', async () => {
    auth.set('old', null, 60)
    installUni(() => ({ statusCode: 401, data: { error: { code: 'unauthenticated', message: 'log in first' } } }))
    expect(await laneScan('x')).toEqual({ ok: false, status: 401, code: 'unauthenticated', message: 'log in first' })
    expect(auth.token).toBeNull()
  })
  it('returns GraphQL data and raises on errors without data', async () => {
    installUni(() => ({ statusCode: 200, data: { data: { paymentStatus: { outTradeNo: 'n', status: 'PAID', amountFen: 5 } } } }))
    expect((await gql(PaymentStatusDocument, { outTradeNo: 'n' })).paymentStatus.status).toBe('PAID')
    installUni(() => ({ statusCode: 200, data: { data: null, errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] } }))
    const err = await gql(PaymentStatusDocument, { outTradeNo: 'n' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GraphQLRequestError)
    expect((err as GraphQLRequestError).code).toBe('RATE_LIMITED')
  })
  it('follows an order until it settles', async () => {
    const statuses = ['PAYING', 'PAYING', 'PAID']
    installUni(() => ({ statusCode: 200, data: { data: { paymentStatus: { outTradeNo: 'n', status: statuses.shift(), amountFen: 5 } } } }))
    let waits = 0
    expect(await followOrder('n', 10, async () => void waits++)).toBe('PAID')
    expect(waits).toBe(2)
  })
})
