import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CombinedError } from '@urql/vue'
import { auth, setToken } from '../src/stores/auth'
import { onSessionExpired, refusedSocket, watchResponse, watchResult } from '../src/stores/session'

const refused = (code: string) => ({
  error: new CombinedError({ graphQLErrors: [{ message: 'refused', extensions: { code } }] }),
})

describe('an expired or foreign token signs the operator out', () => {
  const expired = vi.fn()
  beforeEach(() => {
    expired.mockReset()
    onSessionExpired(expired)
    setToken('token-of-another-deployment')
  })

  it('UNAUTHENTICATED forgets the token and opens the sign-in page once', () => {
    watchResult(refused('UNAUTHENTICATED'))
    watchResult(refused('UNAUTHENTICATED'))
    expect(auth.token).toBeNull()
    expect(localStorage.getItem('parkcloud.token')).toBeNull()
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('PERMISSION_DENIED, other errors and successes keep the operator signed in', () => {
    watchResult(refused('PERMISSION_DENIED'))
    watchResult(refused('NOT_FOUND'))
    watchResult({ error: undefined })
    expect(auth.token).toBe('token-of-another-deployment')
    expect(expired).not.toHaveBeenCalled()
  })

  it('a 401 from the image and code endpoints is the same refusal; a 403 is not', () => {
    watchResponse({ status: 403 })
    expect(auth.token).toBe('token-of-another-deployment')
    watchResponse({ status: 401 })
    expect(auth.token).toBeNull()
    expect(expired).toHaveBeenCalledTimes(1)
  })

  it('only a refused connection_init (4403) stops the socket from retrying', () => {
    expect(refusedSocket({ code: 4403, reason: 'Forbidden' })).toBe(true)
    expect([1006, 1001, 4500].map((code) => refusedSocket({ code }))).toEqual([false, false, false])
    expect(refusedSocket(new Error('network'))).toBe(false)
  })
})
