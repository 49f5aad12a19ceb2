import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RouteRecordRaw } from 'vue-router'
import { preloadFirstPage, routeForHash } from '../src/firstPage'
import { routes } from '../src/routes'
import { auth, setMe, setToken } from '../src/stores/auth'
import { client } from '../src/graphql/client'
import { prefetchMe, router } from '../src/router'

describe("a cold visit's first page", () => {
  it('is the route the hash names, its query aside', () => {
    expect(routeForHash('#/records/sessions?lot=3')?.path).toBe('/records/sessions')
    expect(routeForHash('#/')?.path).toBe('/')
    expect(routeForHash('')?.path).toBe('/')
    expect(routeForHash('#/no-such-page')).toBeUndefined()
  })

  describe('starts loading its chunks', () => {
    const loader = vi.fn(() => Promise.resolve({}))
    const swap = (path: string) => {
      const route = routes.find((r) => r.path === path) as RouteRecordRaw & { component: unknown }
      const original = route.component
      route.component = loader
      return () => (route.component = original)
    }
    let restore: (() => unknown)[] = []
    beforeEach(() => {
      loader.mockClear()
      restore = [swap('/agents'), swap('/login')]
    })
    afterEach(() => {
      restore.forEach((undo) => undo())
      setToken(null)
      window.location.hash = ''
    })

    it('when signed in', () => {
      setToken('a-token')
      window.location.hash = '#/agents'
      preloadFirstPage()
      expect(loader).toHaveBeenCalledTimes(1)
    })

    it('not without a token (the guard sends to the sign-in page) nor for a public page', () => {
      window.location.hash = '#/agents'
      preloadFirstPage()
      setToken('a-token')
      window.location.hash = '#/login'
      preloadFirstPage()
      expect(loader).not.toHaveBeenCalled()
    })
  })

  it('asks `me` once: the first guard awaits the request main.ts started', async () => {
    const me = { name: 'admin', permissions: ['agents.view'], scopeLevel: 'platform', lotIds: [] }
    const query = vi
      .spyOn(client, 'query')
      .mockReturnValue({ toPromise: () => Promise.resolve({ data: { me } }) } as unknown as ReturnType<
        typeof client.query
      >)
    setToken('a-token')
    setMe(null)
    try {
      prefetchMe()
      prefetchMe()
      // The no-access page: signed in, no permission needed, a small chunk.
      await router.push('/no-access')
      expect(query).toHaveBeenCalledTimes(1)
      expect(auth.me?.name).toBe('admin')
      expect(router.currentRoute.value.path).toBe('/no-access')
    } finally {
      query.mockRestore()
      setToken(null)
    }
  }, 30_000)
})
