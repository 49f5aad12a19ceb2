// A small `uni` global for vitest: storage in a Map, uni.request answered by the test's handler.
import { vi } from 'vitest'

export interface StubRequest {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
}

export function installUni(answer: (req: StubRequest) => { statusCode: number; data: unknown } | Error = () => ({ statusCode: 200, data: {} })) {
  const storage = new Map<string, unknown>()
  const requests: StubRequest[] = []
  const uni = {
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    removeStorageSync: (key: string) => void storage.delete(key),
    request: (options: StubRequest & { success: (r: unknown) => void; fail: (e: unknown) => void }) => {
      requests.push({ url: options.url, method: options.method, data: options.data, header: options.header })
      const reply = answer(options)
      if (reply instanceof Error) options.fail({ errMsg: reply.message })
      else options.success(reply)
    },
    navigateTo: vi.fn(),
    reLaunch: vi.fn(),
  }
  vi.stubGlobal('uni', uni)
  return { storage, requests, uni }
}
