// A token the API no longer knows (expired, voided, signed with another deployment's key): GraphQL answers
// UNAUTHENTICATED, the file endpoints 401, the subscription socket closes with 4403. The operator is signed out
// and sent to the sign-in page; a signed-in operator lacking a permission (PERMISSION_DENIED) is not.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { installUni } from './uni-stub'
import { operator } from '@/stores/operator'
import { failureText, opGql } from '@/api/operator'
import { live } from '@/api/liveSocket'
import { TypedDocumentString } from '@/gql/graphql'

const Lanes = new TypedDocumentString<{ lanes: unknown[] }, Record<string, never>>('query Probe { lanes { id } }')
const Live = new TypedDocumentString<{ laneEvents: unknown }, Record<string, never>>('subscription { laneEvents { id } }')

function signIn(): void {
  operator.set({ token: 'op-1', expiresAt: Date.now() + 60_000, name: '值班员', merchantId: null, lotIds: ['3'], permissions: [] })
}

const refused = (code: string) => () => ({
  statusCode: 200,
  data: { data: null, errors: [{ message: 'refused', extensions: { code } }] },
})

beforeEach(() => {
  installUni()
  operator.clear()
})

describe('an expired or foreign operator token', () => {
  it('UNAUTHENTICATED signs the operator out, opens the sign-in page and reads 登录已失效', async () => {
    const { uni } = installUni(refused('UNAUTHENTICATED'))
    signIn()
    const err = await opGql(Lanes).catch((e: unknown) => e)
    expect(operator.loggedIn).toBe(false)
    expect(uni.reLaunch).toHaveBeenCalledWith({ url: '/pages-staff/login/login' })
    expect(failureText(err)).toBe('登录已失效，请重新登录（UNAUTHENTICATED）')
  })

  it('a 401 is the same refusal', async () => {
    const { uni } = installUni(() => ({ statusCode: 401, data: {} }))
    signIn()
    await opGql(Lanes).catch(() => undefined)
    expect(operator.loggedIn).toBe(false)
    expect(uni.reLaunch).toHaveBeenCalledTimes(1)
  })

  it('PERMISSION_DENIED keeps the operator signed in on the page', async () => {
    const { uni } = installUni(refused('PERMISSION_DENIED'))
    signIn()
    await opGql(Lanes).catch(() => undefined)
    expect(operator.loggedIn).toBe(true)
    expect(uni.reLaunch).not.toHaveBeenCalled()
  })

  it('a subscription socket closed with 4403 signs out; any other close only falls back to polling', () => {
    const { uni } = installUni()
    const closes: ((result: { code: number }) => void)[] = []
    const task = { onOpen: vi.fn(), onMessage: vi.fn(), onError: vi.fn(), onClose: (f: (r: { code: number }) => void) => closes.push(f), send: vi.fn(), close: vi.fn() }
    ;(uni as unknown as { connectSocket: () => typeof task }).connectSocket = () => task
    signIn()
    const downs: (string | null)[] = []
    live(Live, {}, { onData: () => undefined, onDown: (code) => downs.push(code) })
    closes[0]!({ code: 1006 })
    expect([downs, operator.loggedIn]).toEqual([[null], true])
    live(Live, {}, { onData: () => undefined, onDown: (code) => downs.push(code) })
    closes[1]!({ code: 4403 })
    expect([downs, operator.loggedIn]).toEqual([[null, 'UNAUTHENTICATED'], false])
    expect(uni.reLaunch).toHaveBeenCalledWith({ url: '/pages-staff/login/login' })
  })
})
