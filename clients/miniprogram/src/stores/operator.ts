// The operator's session (云停管家: a merchant's staff or a lot's staff): the token from `login` or
// `operatorWechatLogin` and what `me` said of it, in uni storage apart from the driver's session (stores/auth.ts).
import { reactive } from 'vue'

const KEY = 'parkcloud.operator'

export interface OperatorSession {
  token: string
  /** Epoch milliseconds. */
  expiresAt: number
  name: string
  /** Set for a merchant's operator: the merchant it acts for. */
  merchantId: string | null
  lotIds: string[]
  permissions: string[]
}

const state = reactive<{ session: OperatorSession | null; loaded: boolean }>({ session: null, loaded: false })

function load(): OperatorSession | null {
  try {
    const raw: unknown = uni.getStorageSync(KEY)
    if (!raw || typeof raw !== 'string') return null
    const session = JSON.parse(raw) as OperatorSession
    return session.expiresAt > Date.now() ? session : null
  } catch {
    return null
  }
}

function current(): OperatorSession | null {
  if (!state.loaded) {
    state.session = load()
    state.loaded = true
  }
  return state.session && state.session.expiresAt > Date.now() ? state.session : null
}

export const operator = {
  get session(): OperatorSession | null {
    return current()
  },
  get token(): string | null {
    return current()?.token ?? null
  },
  get loggedIn(): boolean {
    return current() !== null
  },
  set(session: OperatorSession): void {
    state.session = session
    state.loaded = true
    uni.setStorageSync(KEY, JSON.stringify(session))
  },
  clear(): void {
    state.session = null
    state.loaded = true
    uni.removeStorageSync(KEY)
  },
}
