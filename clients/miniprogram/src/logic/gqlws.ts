// The graphql-transport-ws protocol (the one the API speaks on /graphql), as pure message handling so both targets
// share it: mp-weixin's socket is uni.connectSocket, H5's is the browser's WebSocket behind the same uni API.

export const PROTOCOL = 'graphql-transport-ws'

export type ClientMessage =
  | { type: 'connection_init'; payload: Record<string, unknown> }
  | { type: 'subscribe'; id: string; payload: { query: string; variables: Record<string, unknown> } }
  | { type: 'complete'; id: string }
  | { type: 'pong' }

export type Outcome<T> =
  | { kind: 'ack' }
  | { kind: 'next'; id: string; data: T }
  | { kind: 'error'; id: string | null; code: string | null; message: string }
  | { kind: 'complete'; id: string }
  | { kind: 'ping' }
  | { kind: 'ignore' }

export function init(token: string | null): ClientMessage {
  return { type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }
}

export function subscribe(id: string, query: string, variables: Record<string, unknown>): ClientMessage {
  return { type: 'subscribe', id, payload: { query, variables } }
}

interface ErrorItem {
  message?: string
  extensions?: { code?: string }
}

function firstError(payload: unknown): { code: string | null; message: string } {
  const items = Array.isArray(payload) ? (payload as ErrorItem[]) : ((payload as { errors?: ErrorItem[] })?.errors ?? [])
  const first = items[0]
  return { code: first?.extensions?.code ?? null, message: first?.message ?? '' }
}

/** What one server frame means. */
export function parse<T>(raw: string): Outcome<T> {
  let msg: { type?: string; id?: string; payload?: unknown }
  try {
    msg = JSON.parse(raw) as typeof msg
  } catch {
    return { kind: 'ignore' }
  }
  switch (msg.type) {
    case 'connection_ack':
      return { kind: 'ack' }
    case 'ping':
      return { kind: 'ping' }
    case 'complete':
      return { kind: 'complete', id: msg.id ?? '' }
    case 'error':
      return { kind: 'error', id: msg.id ?? null, ...firstError(msg.payload) }
    case 'next': {
      const payload = msg.payload as { data?: T | null; errors?: ErrorItem[] } | undefined
      if (payload?.errors?.length && !payload.data) return { kind: 'error', id: msg.id ?? null, ...firstError(payload) }
      if (!payload?.data) return { kind: 'ignore' }
      return { kind: 'next', id: msg.id ?? '', data: payload.data }
    }
    default:
      return { kind: 'ignore' }
  }
}

/** ws:// or wss:// for the API's origin ('' in H5: the page's own origin). */
export function socketUrl(apiBase: string, pageOrigin: string): string {
  const origin = apiBase || pageOrigin
  return `${origin.replace(/^http/, 'ws')}/graphql`
}
