import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router'
import { menuFor, routes, type PageMeta } from './routes'
import { auth, setMe, setToken } from './stores/auth'
import { client } from './graphql/client'
import { MeDocument } from './graphql/me'

// Hash history: the API serves the dist as static files, so deep links must not need server rewrites.
export const router = createRouter({ history: createWebHashHistory(), routes })

export async function loadMe(): Promise<boolean> {
  const result = await client.query(MeDocument, {}, { requestPolicy: 'network-only' }).toPromise()
  const me = result.data?.me
  if (!me) {
    setToken(null)
    return false
  }
  setMe(me)
  return true
}

// The `me` request of a cold visit, asked by main.ts before the shell mounts; the first guard awaits it
// instead of asking again.
let meRequest: Promise<boolean> | null = null

/** Ask `me` now (signed in, not known yet), for the first guard to await. */
export function prefetchMe(): void {
  if (!auth.token || auth.me || meRequest) return
  meRequest = loadMe().finally(() => {
    meRequest = null
  })
}

/** Start loading a route's lazy view chunks now (the router would only ask for them after the guards). */
export function preloadViews(to: RouteLocationNormalized): void {
  for (const record of to.matched) {
    for (const view of Object.values(record.components ?? {})) {
      if (typeof view === 'function') void (view as () => Promise<unknown>)().catch(() => undefined)
    }
  }
}

router.beforeEach(async (to) => {
  const meta = to.meta as unknown as PageMeta
  if (meta.public) return true
  if (!auth.token) return { path: '/login', query: { next: to.fullPath } }
  if (!auth.me) {
    // The first page of a visit: fetch its chunks while `me` is asked, not after (time to interactive).
    preloadViews(to)
    if (!(await (meRequest ?? loadMe()))) return { path: '/login', query: { next: to.fullPath } }
  }
  if (meta.perm && !auth.me?.permissions.includes(meta.perm)) {
    // The first page this operator may open; with none at all, a page that says so (no redirect loop).
    const first = menuFor(auth.me?.permissions ?? [])[0]?.items[0]?.path
    return { path: first ?? '/no-access' }
  }
  return true
})
