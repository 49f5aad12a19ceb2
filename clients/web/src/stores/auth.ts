// The signed-in operator: token in localStorage, `me` (permissions and scope) loaded from the API.
import { reactive } from 'vue'
import { storedToken, TOKEN_KEY } from './token'

export interface MeInfo {
  name: string
  permissions: string[]
  scopeLevel: string
  agentId?: string | null
  customerId?: string | null
  lotIds: string[]
}

export const auth = reactive({
  token: storedToken(),
  me: null as MeInfo | null,
})

export function setToken(token: string | null): void {
  auth.token = token
  if (token) localStorage.setItem(TOKEN_KEY, token)
  else localStorage.removeItem(TOKEN_KEY)
  if (!token) auth.me = null
}

export function setMe(me: MeInfo | null): void {
  auth.me = me
}

export function can(permission: string | undefined): boolean {
  if (!permission) return true
  return auth.me?.permissions.includes(permission) ?? false
}
