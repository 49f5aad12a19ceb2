// One GraphQL subscription over graphql-transport-ws with uni.connectSocket (wx.connectSocket in mp-weixin, the
// browser's WebSocket in H5), authenticated with the operator's token in connection_init. When the socket cannot
// be opened or drops, `onDown` is told, and the page falls back to polling until it subscribes again.
import type { TypedDocumentString } from '@/gql/graphql'
import { init, parse, PROTOCOL, socketUrl, subscribe } from '@/logic/gqlws'
import { operator } from '@/stores/operator'
import { sessionExpired } from './operator'
import { apiBase } from './platform'

/** graphql-transport-ws' close code for a refused connection_init: the token is not (or no longer) valid. */
export const SOCKET_REFUSED = 4403

export interface LiveHandlers<R> {
  onData: (data: R) => void
  onUp?: () => void
  onDown: (code: string | null) => void
}

export interface Live {
  close: () => void
}

function pageOrigin(): string {
  const g = globalThis as { location?: { origin?: string } }
  return g.location?.origin ?? ''
}

export function live<R, V>(document: TypedDocumentString<R, V>, variables: V, handlers: LiveHandlers<R>): Live {
  let closed = false
  let down = false
  const fail = (code: string | null) => {
    if (down || closed) return
    down = true
    handlers.onDown(code)
  }
  const task = uni.connectSocket({
    url: socketUrl(apiBase(), pageOrigin()),
    protocols: [PROTOCOL],
    complete: () => {},
  })
  const send = (message: unknown) => task.send({ data: JSON.stringify(message) })
  task.onOpen(() => send(init(operator.token)))
  task.onMessage((event) => {
    const outcome = parse<R>(String(event.data))
    switch (outcome.kind) {
      case 'ack':
        send(subscribe('1', document.toString(), variables as Record<string, unknown>))
        handlers.onUp?.()
        break
      case 'ping':
        send({ type: 'pong' })
        break
      case 'next':
        handlers.onData(outcome.data)
        break
      case 'error':
        fail(outcome.code)
        break
      case 'complete':
        fail(null)
        break
      default:
        break
    }
  })
  task.onError(() => fail(null))
  task.onClose((result: { code?: number } | undefined) => {
    if (closed || result?.code !== SOCKET_REFUSED) return fail(null)
    // A refused token: the page reads 登录已失效 and the operator signs in again, rather than polling on.
    fail('UNAUTHENTICATED')
    sessionExpired()
  })
  return {
    close: () => {
      closed = true
      task.close({})
    },
  }
}
