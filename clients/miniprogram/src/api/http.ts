// The one request layer: uni.request (wx.request in mp-weixin, XHR in H5), with the driver's bearer token.
import { auth } from '@/stores/auth'
import { apiBase } from './platform'

export interface HttpResponse<T> {
  status: number
  data: T
}

export class NetworkError extends Error {}

export function request<T>(
  path: string,
  options: { method?: 'GET' | 'POST'; data?: unknown; token?: string | null } = {},
): Promise<HttpResponse<T>> {
  const token = options.token === undefined ? auth.token : options.token
  const header: Record<string, string> = { 'content-type': 'application/json' }
  if (token) header.Authorization = `Bearer ${token}`
  return new Promise((resolve, reject) => {
    uni.request({
      url: apiBase() + path,
      method: options.method ?? 'GET',
      data: options.data as UniApp.RequestOptions['data'],
      header,
      dataType: 'json',
      success: (res) => {
        // An expired or foreign token: forget it, the next page asks to log in again.
        if (res.statusCode === 401 && token) auth.clear()
        resolve({ status: res.statusCode, data: res.data as T })
      },
      fail: (err) => reject(new NetworkError(err.errMsg)),
    })
  })
}
