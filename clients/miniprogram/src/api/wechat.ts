// What the WeChat client does for the mini-program: a login code and the payment sheet. In mp-weixin these are
// uni.login / uni.requestPayment; the H5 build (browsers, `make run`, tests) asks the local fakes through the
// API's development bridge (api/dev_fakes.py), which exists only while the server runs on the fakes.
import { request } from './http'
import { platform } from './platform'

export async function wechatCode(): Promise<string | null> {
  if (platform() === 'mp-weixin') {
    return new Promise((resolve) => {
      uni.login({
        provider: 'weixin',
        success: (res) => resolve(res.code || null),
        fail: () => resolve(null),
      })
    })
  }
  const res = await request<{ code?: string }>('/api/dev/wechat/login-code', { method: 'POST', data: {}, token: null })
  return res.status === 200 && res.data.code ? res.data.code : null
}

export interface JsapiParams {
  appId?: string
  timeStamp: string
  nonceStr: string
  package: string
  signType: string
  paySign: string
}

/** Show the payment sheet; true when the payer went through with it (the order's status is the truth). */
export async function requestPayment(params: JsapiParams): Promise<boolean> {
  if (platform() === 'mp-weixin') {
    return new Promise((resolve) => {
      uni.requestPayment({
        provider: 'wxpay',
        orderInfo: '',
        timeStamp: params.timeStamp,
        nonceStr: params.nonceStr,
        package: params.package,
        signType: params.signType,
        paySign: params.paySign,
        success: () => resolve(true),
        fail: () => resolve(false),
      })
    })
  }
  const res = await request<unknown>('/api/dev/wechatpay/request-payment', { method: 'POST', data: params, token: null })
  return res.status === 200
}
