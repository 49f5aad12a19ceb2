// The driver's session: token and openid from POST /api/driver/login, kept in uni storage across launches.
import { computed, reactive } from 'vue'

const KEY = 'parkcloud.auth'

interface Session {
  token: string
  openid: string | null
  /** Epoch milliseconds. */
  expiresAt: number
}

const state = reactive<{ session: Session | null }>({ session: null })

function load(): Session | null {
  try {
    const raw: unknown = uni.getStorageSync(KEY)
    if (!raw || typeof raw !== 'string') return null
    const session = JSON.parse(raw) as Session
    return session.expiresAt > Date.now() ? session : null
  } catch {
    return null
  }
}

export const auth = {
  get token(): string | null {
    return state.session?.token ?? null
  },
  get openid(): string | null {
    return state.session?.openid ?? null
  },
  loggedIn: computed(() => state.session !== null && state.session.expiresAt > Date.now()),
  /** Read what an earlier launch stored (App.vue calls it once). */
  restore(): void {
    state.session = load()
  },
  set(token: string, openid: string | null, expiresInS: number): void {
    state.session = { token, openid, expiresAt: Date.now() + expiresInS * 1000 }
    uni.setStorageSync(KEY, JSON.stringify(state.session))
  },
  clear(): void {
    state.session = null
    uni.removeStorageSync(KEY)
  },
}
