// The operator side (云停管家): its session apart from the driver's, refusals in zh-CN from the catalogue, the lane
// status reducer, the day's figures and the graphql-transport-ws messages.
import { beforeEach, describe, expect, it } from 'vitest'
import { installUni, type StubRequest } from './uni-stub'
import { auth } from '@/stores/auth'
import { operator } from '@/stores/operator'
import { failureText, opGql, signIn, joinMerchant, wechatSignIn } from '@/api/operator'
import { GraphQLRequestError } from '@/api/graphql'
import { TypedDocumentString } from '@/gql/graphql'
import { refusalText } from '@/logic/refusal'
import { applyEvent, applyEvents, lotsOf, type LaneView } from '@/logic/lanes'
import { hoursLater, lotDay, monthStart, revenueTotal, trafficTotal } from '@/logic/day'
import { clock } from '@/logic/duration'
import { init, parse, socketUrl, subscribe } from '@/logic/gqlws'
import { t } from '@/locale'

const MeProbe = new TypedDocumentString<{ me: { name: string } | null }, Record<string, never>>('query Probe { me { name } }')

function body(req: StubRequest): { query: string; variables: Record<string, unknown> } {
  return req.data as { query: string; variables: Record<string, unknown> }
}

beforeEach(() => {
  installUni()
  operator.clear()
  auth.clear()
})

describe('operator session', () => {
  it('signs in with username and password, reads me with the new token, and leaves the driver session alone', async () => {
    const { requests, storage } = installUni((req) => {
      const q = body(req).query
      if (q.includes('login(')) return { statusCode: 200, data: { data: { login: { __typename: 'LoginSuccess', token: 'op-1', expiresIn: 600 } } } }
      return { statusCode: 200, data: { data: { me: { name: '店员', permissions: ['coupons.issue'], merchantId: '7', lotIds: ['3'] } } } }
    })
    auth.set('driver-token', 'o-1', 600)
    const result = await signIn('clerk', 'secret-123')
    expect(result).toEqual({ ok: true, merchant: true })
    expect(requests[0]!.header?.Authorization).toBeUndefined()
    expect(requests[1]!.header?.Authorization).toBe('Bearer op-1')
    expect(operator.session).toMatchObject({ token: 'op-1', name: '店员', merchantId: '7', lotIds: ['3'] })
    expect(auth.token).toBe('driver-token')
    expect(JSON.parse(storage.get('parkcloud.operator') as string).token).toBe('op-1')
  })

  it('shows a wrong password in Chinese and keeps nobody signed in', async () => {
    installUni(() => ({
      statusCode: 200,
      data: { data: { login: { __typename: 'AccountError', code: 'INVALID_CREDENTIALS', message: 'invalid' } } },
    }))
    const result = await signIn('clerk', 'nope')
    expect(result).toEqual({ ok: false, text: '账号或密码错误（INVALID_CREDENTIALS）' })
    expect(operator.loggedIn).toBe(false)
  })

  it('refuses WeChat sign-in for a WeChat no operator bound, in Chinese, and keeps nobody signed in', async () => {
    const { requests } = installUni((req) => {
      if (req.url.endsWith('/api/dev/wechat/login-code')) return { statusCode: 200, data: { code: 'wx-code-1' } }
      return {
        statusCode: 200,
        data: { data: { operatorWechatLogin: { __typename: 'AccountError', code: 'INVALID_CREDENTIALS', message: 'not bound' } } },
      }
    })
    const result = await wechatSignIn()
    expect(result).toEqual({ ok: false, text: t.operator.wechatNotBound })
    expect(body(requests[1]!).variables).toEqual({ code: 'wx-code-1' })
    expect(operator.loggedIn).toBe(false)
  })

  it('joins a merchant with its invite code, then signs in', async () => {
    const { requests } = installUni((req) => {
      const q = body(req).query
      if (q.includes('merchantJoin')) return { statusCode: 200, data: { data: { merchantJoin: { __typename: 'MerchantOperatorSuccess', operator: { id: '1', username: 'clerk' } } } } }
      if (q.includes('login(')) return { statusCode: 200, data: { data: { login: { __typename: 'LoginSuccess', token: 'op-2', expiresIn: 600 } } } }
      return { statusCode: 200, data: { data: { me: { name: 'clerk', permissions: [], merchantId: '9', lotIds: [] } } } }
    })
    expect(await joinMerchant('ABC123', 'clerk', 'secret-123', '')).toEqual({ ok: true, merchant: true })
    expect(body(requests[0]!).variables).toEqual({
      input: { inviteCode: 'ABC123', username: 'clerk', password: 'secret-123', displayName: null },
    })
  })

  it('sends the operator token, and reads a refusal of the whole request as the catalogue says', async () => {
    const { requests } = installUni(() => ({
      statusCode: 200,
      data: { data: null, errors: [{ message: "permission 'gate.remote_open' required", extensions: { code: 'PERMISSION_DENIED' } }] },
    }))
    operator.set({ token: 'op-3', expiresAt: Date.now() + 60_000, name: 'x', merchantId: null, lotIds: [], permissions: [] })
    const failure = await opGql(MeProbe).catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(GraphQLRequestError)
    expect(requests[0]!.header?.Authorization).toBe('Bearer op-3')
    expect(failureText(failure)).toBe('当前账号没有此操作的权限（PERMISSION_DENIED）')
  })

  it('forgets an expired session', () => {
    operator.set({ token: 't', expiresAt: Date.now() - 1, name: 'x', merchantId: null, lotIds: [], permissions: [] })
    expect(operator.token).toBeNull()
    expect(operator.loggedIn).toBe(false)
  })
})

describe('refusals', () => {
  it('names every code of the catalogue, and an unknown code as a failure with its code', () => {
    expect(refusalText('RATE_LIMITED')).toBe('操作太频繁，请稍后再试（RATE_LIMITED）')
    expect(refusalText('SOMETHING_NEW')).toBe(`${t.refusal.unknown}（SOMETHING_NEW）`)
    expect(refusalText(null)).toBe(t.errors.server)
  })
})

describe('lane status', () => {
  const lanes: LaneView[] = [
    { id: '1', name: '东入口', direction: 'ENTRY', lotId: '10', lotName: 'A', last: null },
    { id: '2', name: '东出口', direction: 'EXIT', lotId: '10', lotName: 'A', last: null },
    { id: '3', name: '北入口', direction: 'ENTRY', lotId: '11', lotName: 'B', last: null },
  ]
  const ev = (id: string, laneId: string, at: string, plate = '京A12345') => ({
    id,
    laneId,
    at,
    plate,
    kind: 'ENTRY',
    opened: true,
    decisionReason: '',
  })

  it('shows the newest event per lane, whatever order they come in', () => {
    const next = applyEvents(lanes, [
      ev('5', '1', '2026-12-06T10:00:00Z', '京A00005'),
      ev('3', '1', '2026-12-06T09:00:00Z', '京A00003'),
      ev('4', '2', '2026-12-06T09:30:00Z'),
    ])
    expect(next.map((l) => l.last?.plate ?? null)).toEqual(['京A00005', '京A12345', null])
    const later = applyEvent(next, ev('6', '1', '2026-12-06T10:00:00Z', '京A00006'))
    expect(later[0]!.last?.plate).toBe('京A00006')
    expect(applyEvent(later, ev('9', '99', '2026-12-06T11:00:00Z'))).toEqual(later)
    expect(lanes[0]!.last).toBeNull()
  })

  it('groups the lanes by lot', () => {
    expect(lotsOf(lanes)).toEqual([
      { id: '10', name: 'A' },
      { id: '11', name: 'B' },
    ])
  })
})

describe('the day', () => {
  it("reads the lot's calendar days whatever the phone's zone, and sums the figures", () => {
    const at = new Date('2026-01-05T23:30:00+08:00')
    expect(lotDay(at)).toBe('2026-01-05')
    expect(monthStart(at)).toBe('2026-01-01')
    const newYear = new Date('2025-12-31T16:30:00Z') // 00:30 on 1 January in Shanghai
    expect([lotDay(newYear), monthStart(newYear)]).toEqual(['2026-01-01', '2026-01-01'])
    expect(clock('2025-12-31T16:30:00Z')).toBe('01-01 00:30')
    expect(hoursLater(new Date('2026-01-05T00:00:00Z'), 4)).toBe('2026-01-05T04:00:00.000Z')
    expect(
      revenueTotal([
        { paidFen: 1200, refundedFen: 200, orders: 2 },
        { paidFen: 500, refundedFen: 0, orders: 1 },
      ]),
    ).toEqual({ netFen: 1500, orders: 3 })
    expect(trafficTotal([{ entries: 3, exits: 1 }, { entries: 2, exits: 2 }])).toEqual({ entries: 5, exits: 3 })
  })
})

describe('graphql-transport-ws', () => {
  it('authenticates in connection_init and subscribes with the document', () => {
    expect(init('tok')).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer tok' } })
    expect(init(null)).toEqual({ type: 'connection_init', payload: {} })
    expect(subscribe('1', 'subscription { x }', { a: 1 })).toEqual({
      type: 'subscribe',
      id: '1',
      payload: { query: 'subscription { x }', variables: { a: 1 } },
    })
    expect(socketUrl('', 'http://127.0.0.1:8000')).toBe('ws://127.0.0.1:8000/graphql')
    expect(socketUrl('https://api.example.cn', 'ignored')).toBe('wss://api.example.cn/graphql')
  })

  it('reads the server frames', () => {
    expect(parse('{"type":"connection_ack"}')).toEqual({ kind: 'ack' })
    expect(parse('{"type":"ping"}')).toEqual({ kind: 'ping' })
    expect(parse('{"type":"next","id":"1","payload":{"data":{"x":1}}}')).toEqual({ kind: 'next', id: '1', data: { x: 1 } })
    expect(parse('{"type":"error","id":"1","payload":[{"message":"no","extensions":{"code":"PERMISSION_DENIED"}}]}')).toEqual({
      kind: 'error',
      id: '1',
      code: 'PERMISSION_DENIED',
      message: 'no',
    })
    expect(parse('{"type":"next","id":"1","payload":{"data":null,"errors":[{"message":"no"}]}}')).toMatchObject({
      kind: 'error',
      code: null,
    })
    expect(parse('not json')).toEqual({ kind: 'ignore' })
    expect(parse('{"type":"complete","id":"1"}')).toEqual({ kind: 'complete', id: '1' })
  })
})
