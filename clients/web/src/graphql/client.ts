// One urql client for the app: HTTP for queries and mutations, graphql-ws for subscriptions,
// both carrying the operator's bearer token.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/vue'
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws'
import { auth } from '../stores/auth'
import { refusedSocket, sessionExpired, watchResult } from '../stores/session'
import { hasErrorCode } from './result'

function wsUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`
}

let ws: WsClient | null = null

/** Where the subscription socket stands: pages poll only while it is `down`. */
export type SocketState = 'connecting' | 'live' | 'down'
let socketState: SocketState = 'connecting'
const socketListeners = new Set<(state: SocketState) => void>()

function setSocketState(state: SocketState): void {
  if (state === socketState) return
  socketState = state
  for (const listener of socketListeners) listener(state)
}

/** Follow the socket's state (called at once with the current one); returns a function that stops. */
export function watchSocket(listener: (state: SocketState) => void): () => void {
  socketListeners.add(listener)
  listener(socketState)
  return () => socketListeners.delete(listener)
}

function socket(): WsClient {
  if (ws) return ws
  // Events of a socket already dropped by resetSocket() must not move the state of its successor.
  const mine = (state: SocketState) => () => {
    if (ws === created) setSocketState(state)
  }
  const created: WsClient = createWsClient({
    url: wsUrl(),
    lazy: true,
    // Switching lots unsubscribes and resubscribes at once: keep the socket rather than reconnect.
    lazyCloseTimeout: 3000,
    // graphql-ws retries for ever; the state listeners are how a page learns the socket is down meanwhile.
    // Except a refused token (4403): the same token would be refused again, so the operator signs in anew.
    retryAttempts: Infinity,
    shouldRetry: (event) => !refusedSocket(event),
    connectionParams: () => (auth.token ? { Authorization: `Bearer ${auth.token}` } : {}),
    on: {
      connected: mine('live'),
      closed: (event) => {
        mine('down')()
        if (ws === created && refusedSocket(event)) sessionExpired()
      },
      error: mine('down'),
    },
  })
  ws = created
  return created
}

/** Drop the socket so the next subscription reconnects with the current token (after login/logout). */
export function resetSocket(): void {
  void ws?.dispose()
  ws = null
  setSocketState('connecting')
}

/** The code a subscription is refused or ended with while the server's event bus (Redis) is unreachable:
 * unlike the other refusals it passes, so the page subscribes again (docs/realtime.md). */
export const EVENTS_UNAVAILABLE = 'EVENTS_UNAVAILABLE'

type Subscription = { unsubscribe: () => void }

/** Subscribe with `subscribe`, and again whenever the server refuses or ends the subscription with
 * EVENTS_UNAVAILABLE: after 1 s, then doubling up to 30 s while it keeps failing, back to 1 s once an event
 * arrives. Every result reaches `sink` (the page polls on the error meanwhile); `retried` runs at each new try.
 * Other errors are final, as before. (A dropped socket is graphql-ws's own retry: it resubscribes by itself.) */
export function resubscribing<R extends { error?: { message: string }; data?: unknown }>(
  subscribe: (sink: (result: R) => void) => Subscription,
  sink: (result: R) => void,
  retried: () => void = () => {},
): Subscription {
  let current: Subscription | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let delayMs = 1000
  let stopped = false
  function start() {
    let ended = false
    const made = subscribe((result) => {
      if (ended || stopped) return
      if (hasErrorCode(result.error, EVENTS_UNAVAILABLE)) {
        ended = true
        // The server has ended this one; drop it (once assigned) and try again later.
        queueMicrotask(() => made?.unsubscribe())
        timer = setTimeout(() => {
          timer = null
          if (stopped) return
          retried()
          start()
        }, delayMs)
        delayMs = Math.min(delayMs * 2, 30_000)
      } else if (result.data) {
        delayMs = 1000
      }
      sink(result)
    })
    current = made
  }
  start()
  return {
    unsubscribe() {
      stopped = true
      if (timer) clearTimeout(timer)
      current?.unsubscribe()
    },
  }
}

export const client = new Client({
  url: '/graphql',
  requestPolicy: 'cache-and-network',
  fetchOptions: (): RequestInit => {
    const headers: Record<string, string> = auth.token ? { Authorization: `Bearer ${auth.token}` } : {}
    return { headers }
  },
  exchanges: [
    cacheExchange,
    // UNAUTHENTICATED anywhere (an expired or foreign token): sign out and open the sign-in page.
    mapExchange({ onResult: watchResult }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? '' }
        return {
          subscribe(sink) {
            const dispose = socket().subscribe(input, sink)
            return { unsubscribe: dispose }
          },
        }
      },
    }),
  ],
})
