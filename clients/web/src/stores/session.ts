// The API no longer knows the operator: a token that is expired, voided, forged or signed with another deployment's
// key. GraphQL answers UNAUTHENTICATED (PERMISSION_DENIED is for a signed-in operator lacking a permission), the
// HTTP endpoints 401 and the subscription socket closes with 4403. Each of those signs out once and hands over to
// whoever registered with onSessionExpired (main.ts: the sign-in page, then back to where the operator was).
import type { OperationResult } from '@urql/vue'
import { hasErrorCode } from '../graphql/result'
import { auth, setToken } from './auth'

export const UNAUTHENTICATED = 'UNAUTHENTICATED'
/** graphql-transport-ws' close code for a refused connection_init (api/graphql.py's on_ws_connect). */
export const SOCKET_REFUSED = 4403

let expiredHandler: (() => void) | null = null

/** Called once each time the API signs the operator out. */
export function onSessionExpired(handler: () => void): void {
  expiredHandler = handler
}

/** Forget the token and hand over to the sign-in page; a second refusal of the same token does nothing. */
export function sessionExpired(): void {
  if (!auth.token) return
  setToken(null)
  expiredHandler?.()
}

/** Whether a GraphQL result was refused because nobody is signed in. */
export function refusedUnauthenticated(result: Pick<OperationResult, 'error'>): boolean {
  return hasErrorCode(result.error, UNAUTHENTICATED)
}

/** The result of every query, mutation and subscription passes here (client.ts' mapExchange). */
export function watchResult(result: Pick<OperationResult, 'error'>): void {
  if (refusedUnauthenticated(result)) sessionExpired()
}

/** A fetch of the API's files (images, codes): 401 is the same refusal as UNAUTHENTICATED. */
export function watchResponse(response: Pick<Response, 'status'>): void {
  if (response.status === 401) sessionExpired()
}

/** A subscription socket closed because its connection_init was refused: sign in again, do not retry. */
export function refusedSocket(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { code?: unknown }).code === SOCKET_REFUSED
}
