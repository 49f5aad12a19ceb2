// One urql client for the app: HTTP for queries and mutations, graphql-ws for subscriptions,
// both carrying the operator's bearer token.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/vue'
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws'
import { auth } from '../stores/auth'

function wsUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`
}

let ws: WsClient | null = null

function socket(): WsClient {
  ws ??= createWsClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: Infinity,
    connectionParams: () => (auth.token ? { Authorization: `Bearer ${auth.token}` } : {}),
  })
  return ws
}

/** Drop the socket so the next subscription reconnects with the current token (after login/logout). */
export function resetSocket(): void {
  void ws?.dispose()
  ws = null
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
