// Paying a stay (or a pass) with WeChat Pay JSAPI: create the order, show the payment sheet, then follow the
// order's status until it is settled (the notification may land after the sheet closes).
import { graphql } from '@/gql'
import type { OrderStatus } from '@/gql/graphql'
import { auth } from '@/stores/auth'
import { gql } from './graphql'
import { requestPayment, type JsapiParams } from './wechat'

export const PaymentCreateDocument = graphql(`
  mutation MpPaymentCreate($input: PaymentCreateInput!) {
    paymentCreate(input: $input) {
      __typename
      ... on PaymentCreateSuccess {
        clientParams
        order { outTradeNo status amountFen couponFen plate }
      }
      ... on PaymentError { code message }
    }
  }
`)

export const PaymentStatusDocument = graphql(`
  query MpPaymentStatus($outTradeNo: String!) {
    paymentStatus(outTradeNo: $outTradeNo) { outTradeNo status amountFen }
  }
`)

export type PayOutcome =
  | { kind: 'paid'; amountFen: number }
  | { kind: 'failed'; status: OrderStatus | 'CANCELLED' }
  | { kind: 'error'; code: string; message: string }

const SETTLED: ReadonlySet<OrderStatus> = new Set(['PAID', 'FAILED', 'CLOSED', 'PARTLY_REFUNDED', 'REFUNDED'])

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Ask the order's status until it settles or `tries` run out (the channel is asked each time, server side). */
export async function followOrder(
  outTradeNo: string,
  tries = 20,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<OrderStatus> {
  let status: OrderStatus = 'PAYING'
  for (let i = 0; i < tries; i++) {
    status = (await gql(PaymentStatusDocument, { outTradeNo })).paymentStatus.status
    if (SETTLED.has(status)) return status
    await wait(1000)
  }
  return status
}

/** Settle a created JSAPI order: the sheet, then its status. */
export async function settle(outTradeNo: string, clientParams: unknown, amountFen: number): Promise<PayOutcome> {
  const went = await requestPayment(clientParams as JsapiParams)
  if (!went) return { kind: 'failed', status: 'CANCELLED' }
  const status = await followOrder(outTradeNo)
  return status === 'PAID' ? { kind: 'paid', amountFen } : { kind: 'failed', status }
}

/** Pay a stay named by its signed stay token (a plate lookup, an exit or in-lot code, a no-plate exit). */
export async function payStay(stayToken: string): Promise<PayOutcome> {
  const { paymentCreate: created } = await gql(PaymentCreateDocument, {
    input: { channel: 'WECHAT_JSAPI', stayToken, payerId: auth.openid },
  })
  if (created.__typename === 'PaymentError') return { kind: 'error', code: created.code, message: created.message }
  return settle(created.order.outTradeNo, created.clientParams, created.order.amountFen)
}
