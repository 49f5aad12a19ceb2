// A cold visit's first page: start fetching its lazy chunks before the rest of the entry evaluates.
// main.ts imports this module first and vite.config.ts gives it a chunk of its own (it imports nothing that
// runs), so it runs as soon as the entry's files have arrived, before Vue, Element Plus, the client and the
// shell are evaluated and mounted; the router would only ask for the page's chunks in its guard, after all
// that (docs/web.md, "Time to interactive"). Asking twice is free: the browser fetches a module once.
import { routes } from './routes'
import { storedToken } from './stores/token'

/** The route a hash location (`#/path?query`) names, among the static paths of routes.ts. */
export function routeForHash(hash: string) {
  const path = hash.replace(/^#/, '').split('?')[0] || '/'
  return routes.find((route) => route.path === path)
}

/** Begin loading the chunks of the page the address names, when signed in (else the guard sends to login). */
export function preloadFirstPage(): void {
  if (typeof window === 'undefined' || !storedToken()) return
  const route = routeForHash(window.location.hash)
  if (route && typeof route.component === 'function' && !route.meta?.public) {
    void (route.component as () => Promise<unknown>)().catch(() => undefined)
  }
}

preloadFirstPage()
