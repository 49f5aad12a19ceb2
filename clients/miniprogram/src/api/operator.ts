// The operator's side of the API (云停管家): GraphQL with the operator's token (not the driver's), sign-in with
// username/password or WeChat, merchant join, and the few things beyond GraphQL (a code's PNG, the payer's openid).
import { graphql } from '@/gql'
import type { TypedDocumentString } from '@/gql/graphql'
import { t } from '@/locale'
import { refusalText } from '@/logic/refusal'
import { uploadOutcome } from '@/logic/photos'
import { operator } from '@/stores/operator'
import { GraphQLRequestError, type GraphQLErrorItem } from './graphql'
import { NetworkError, request } from './http'
import { apiBase } from './platform'
import { wechatCode } from './wechat'

/** gql() of api/graphql.ts with the operator's bearer token. */
export async function opGql<R, V>(
  document: TypedDocumentString<R, V>,
  ...[variables]: V extends Record<string, never> ? [] | [V] : [V]
): Promise<R> {
  return opGqlWith(operator.token, document, variables ?? {})
}

async function opGqlWith<R, V>(token: string | null, document: TypedDocumentString<R, V>, variables: unknown): Promise<R> {
  const res = await request<{ data?: R | null; errors?: GraphQLErrorItem[] }>('/graphql', {
    method: 'POST',
    data: { query: document.toString(), variables },
    token,
  })
  const body = res.data
  const errors = body?.errors ?? []
  // A token the API no longer knows (expired, voided, another deployment's): sign in again.
  if (res.status === 401 || errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) sessionExpired()
  if (res.status >= 400 || !body || !body.data) {
    throw new GraphQLRequestError(errors[0]?.message ?? `HTTP ${res.status}`, res.status, errors)
  }
  return body.data
}

/** The zh-CN text of a failure: a refusal's code from the catalogue, a network failure, or a server error. */
export function failureText(err: unknown): string {
  if (err instanceof GraphQLRequestError) return refusalText(err.code ?? (err.status === 401 ? 'UNAUTHENTICATED' : null))
  if (err instanceof NetworkError) return refusalText('NETWORK')
  return refusalText(null)
}

const LoginDocument = graphql(`
  mutation MpOperatorLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      __typename
      ... on LoginSuccess { token expiresIn }
      ... on AccountError { code message }
    }
  }
`)

const MeDocument = graphql(`
  query MpOperatorMe {
    me { name permissions merchantId lotIds }
  }
`)

const OperatorWechatLoginDocument = graphql(`
  mutation MpOperatorWechatLogin($code: String!) {
    operatorWechatLogin(input: { code: $code }) {
      __typename
      ... on LoginSuccess { token expiresIn }
      ... on AccountError { code message }
    }
  }
`)

const OperatorWechatBindDocument = graphql(`
  mutation MpOperatorWechatBind($code: String!) {
    operatorWechatBind(input: { code: $code }) {
      __typename
      ... on AccountError { code message }
    }
  }
`)

export type SignIn = { ok: true; merchant: boolean } | { ok: false; text: string }

async function keep(token: string, expiresIn: number): Promise<SignIn> {
  const { me } = await opGqlWith(token, MeDocument, {})
  if (!me) return { ok: false, text: refusalText('UNAUTHENTICATED') }
  operator.set({
    token,
    expiresAt: Date.now() + expiresIn * 1000,
    name: me.name,
    merchantId: me.merchantId ?? null,
    lotIds: [...me.lotIds],
    permissions: [...me.permissions],
  })
  return { ok: true, merchant: me.merchantId != null }
}

export async function signIn(username: string, password: string): Promise<SignIn> {
  try {
    const { login } = await opGqlWith(null, LoginDocument, { username, password })
    if (login.__typename === 'AccountError') return { ok: false, text: refusalText(login.code) }
    return await keep(login.token, login.expiresIn)
  } catch (err) {
    return { ok: false, text: failureText(err) }
  }
}

/** Sign in with WeChat alone (an operator who bound this WeChat account before). */
export async function wechatSignIn(): Promise<SignIn> {
  try {
    const code = await wechatCode()
    if (!code) return { ok: false, text: refusalText('WECHAT') }
    const { operatorWechatLogin: result } = await opGqlWith(null, OperatorWechatLoginDocument, { code })
    if (result.__typename === 'AccountError') {
      const text = result.code === 'INVALID_CREDENTIALS' ? t.operator.wechatNotBound : refusalText(result.code)
      return { ok: false, text }
    }
    return await keep(result.token, result.expiresIn)
  } catch (err) {
    return { ok: false, text: failureText(err) }
  }
}

/** Tie the signed-in operator to this WeChat account, so that wechatSignIn works next time. */
export async function wechatBind(): Promise<string | null> {
  try {
    const code = await wechatCode()
    if (!code) return refusalText('WECHAT')
    const { operatorWechatBind: result } = await opGql(OperatorWechatBindDocument, { code })
    return result.__typename === 'AccountError' ? refusalText(result.code) : null
  } catch (err) {
    return failureText(err)
  }
}

const JoinDocument = graphql(`
  mutation MpMerchantJoin($input: MerchantJoinInput!) {
    merchantJoin(input: $input) {
      __typename
      ... on MerchantOperatorSuccess { operator { id username } }
      ... on MerchantError { code message field }
    }
  }
`)

/** A merchant's staff member joins with the invite code, then signs in with the new account. */
export async function joinMerchant(inviteCode: string, username: string, password: string, displayName: string): Promise<SignIn> {
  try {
    const { merchantJoin } = await opGqlWith(null, JoinDocument, {
      input: { inviteCode, username, password, displayName: displayName || null },
    })
    if (merchantJoin.__typename === 'MerchantError') return { ok: false, text: refusalText(merchantJoin.code) }
    return await signIn(username, password)
  } catch (err) {
    return { ok: false, text: failureText(err) }
  }
}

/** The WeChat openid of whoever holds the phone (the payer of a JSAPI order), from a wx.login code. */
export async function payerOpenid(): Promise<string | null> {
  const code = await wechatCode()
  if (!code) return null
  const res = await request<{ openid?: string }>('/api/driver/login', { method: 'POST', data: { code }, token: null })
  return res.status === 200 && res.data.openid ? res.data.openid : null
}

/** A parking code's QR image (GET /api/codes/{id}.png needs the bearer token) as a data URL <image> can show. */
export function codeImage(id: string): Promise<string | null> {
  const token = operator.token
  return new Promise((resolve) => {
    uni.request({
      url: `${apiBase()}/api/codes/${encodeURIComponent(id)}.png`,
      method: 'GET',
      header: token ? { Authorization: `Bearer ${token}` } : {},
      responseType: 'arraybuffer',
      success: (res) =>
        resolve(
          res.statusCode === 200 ? `data:image/png;base64,${uni.arrayBufferToBase64(res.data as ArrayBuffer)}` : null,
        ),
      fail: () => resolve(null),
    })
  })
}

/** Attach a picked photo (a chooseImage temp path) to a fault ticket with uni.uploadFile; null, or the zh-CN
 * reason it was refused. */
export function uploadFaultPhoto(ticketId: string, filePath: string): Promise<string | null> {
  const token = operator.token
  return new Promise((resolve) => {
    uni.uploadFile({
      url: `${apiBase()}/api/faults/${encodeURIComponent(ticketId)}/photos`,
      filePath,
      name: 'file',
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success: (res) => {
        if (res.statusCode === 401) sessionExpired()
        const outcome = uploadOutcome(res.statusCode, res.data)
        resolve(outcome.ok ? null : refusalText(outcome.code))
      },
      fail: () => resolve(refusalText('NETWORK')),
    })
  })
}

/** The API refused the operator's token (UNAUTHENTICATED, HTTP 401, a subscription refused with 4403): forget it
 * and open the sign-in page; a second refusal of the same token does nothing more. */
export function sessionExpired(): void {
  if (!operator.loggedIn) return
  operator.clear()
  uni.reLaunch({ url: '/pages-staff/login/login' })
}

export function signOut(): void {
  operator.clear()
  uni.reLaunch({ url: '/pages-staff/login/login' })
}

/** Pages of the operator side send a signed-out operator to the sign-in page. */
export function requireOperator(): boolean {
  if (operator.loggedIn) return true
  uni.reLaunch({ url: '/pages-staff/login/login' })
  return false
}
