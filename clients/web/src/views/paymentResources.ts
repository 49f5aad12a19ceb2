// The finance list pages that fit ResourceTable: payment orders, refunds and invoices (amounts shown in yuan).
import { InvoicesDocument, PaymentOrdersDocument, RefundsDocument } from '../graphql/payments'
import type { Page, Resource, Row } from '../components/resource'
import { when, yuan } from '../lib/format'
import { lotName } from '../stores/lotNames'
import { t } from '../i18n'

const page = (key: string) => (data: Record<string, unknown>) => data[key] as Page
const money = (key: string) => (r: Row) => yuan(r[key] as number)

export const CHANNELS = [
  'WECHAT_JSAPI',
  'WECHAT_NATIVE',
  'WECHAT_PARKING',
  'ALIPAY_QR',
  'ALIPAY_MINI',
  'CASH',
  'BOOTH',
  'WALLET',
] as const

const TAG: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  PAID: 'success',
  PARTLY_REFUNDED: 'warning',
  REFUNDED: 'info',
  CREATED: 'info',
  PAYING: 'warning',
  FAILED: 'danger',
  CLOSED: 'info',
  REQUESTED: 'warning',
  APPROVED: 'warning',
  PROCESSING: 'warning',
  SUCCEEDED: 'success',
  REJECTED: 'info',
  ISSUED: 'success',
  VOID: 'info',
  ISSUING: 'warning',
  REVERSING: 'warning',
  REVERSED: 'info',
}
const statusTag = (r: Row) => TAG[String(r.status)] ?? 'info'

export const paymentResources: Record<string, Resource> = {
  paymentOrders: {
    title: 'nav.paymentOrders',
    document: PaymentOrdersDocument,
    page: page('paymentOrders'),
    columns: [
      { key: 'createdAt', label: 'pay.createdAt', value: (r) => when(r.createdAt as string), width: 160 },
      { key: 'lotId', label: 'common.lot', value: (r) => lotName(r.lotId) },
      { key: 'plate', label: 'pay.plate' },
      { key: 'channel', label: 'pay.channel', enum: 'PaymentChannel' },
      { key: 'status', label: 'common.status', enum: 'OrderStatus', tag: statusTag },
      // Money that reached the order but was not credited (the stay was already paid): it goes back.
      {
        key: 'doublePayment',
        label: 'pay.doublePayment',
        enum: 'DoublePayment',
        width: 150,
      },
      { key: 'amountFen', label: 'pay.amount', value: money('amountFen') },
      { key: 'refundedFen', label: 'pay.refunded', value: money('refundedFen') },
      { key: 'channelFeeFen', label: 'pay.fee', value: money('channelFeeFen') },
      { key: 'paidAt', label: 'pay.paidAt', value: (r) => when(r.paidAt as string), width: 160 },
      { key: 'outTradeNo', label: 'pay.outTradeNo', width: 240 },
      { key: 'purpose', label: 'pay.purpose', enum: 'PaymentPurpose' },
      // Paid by someone other than the plate's driver (代缴): shows what they wrote (or 是 with no note).
      {
        key: 'onBehalf',
        label: 'pay.onBehalf',
        value: (r) => (r.onBehalf ? String(r.payerNote || t('common.yes')) : ''),
        width: 120,
      },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      {
        name: 'status',
        label: 'common.status',
        kind: 'select',
        enum: 'OrderStatus',
        options: ['PAID', 'PARTLY_REFUNDED', 'REFUNDED', 'CREATED', 'PAYING', 'FAILED', 'CLOSED'],
      },
      { name: 'channel', label: 'pay.channel', kind: 'select', enum: 'PaymentChannel', options: CHANNELS },
      { name: 'plate', label: 'pay.plate', kind: 'text' },
      { name: 'doublePayment', label: 'pay.doublePayment', kind: 'bool' },
      { name: 'onBehalf', label: 'pay.onBehalf', kind: 'bool' },
      { name: 'created', label: 'pay.createdAt', kind: 'datetimerange', range: ['createdFrom', 'createdTo'] },
    ],
  },
  refunds: {
    title: 'nav.refunds',
    document: RefundsDocument,
    page: page('refunds'),
    columns: [
      { key: 'createdAt', label: 'refund.createdAt', value: (r) => when(r.createdAt as string), width: 160 },
      { key: 'lotId', label: 'common.lot', value: (r) => lotName(r.lotId) },
      { key: 'amountFen', label: 'pay.amount', value: money('amountFen') },
      { key: 'status', label: 'common.status', enum: 'RefundStatus', tag: statusTag },
      { key: 'reason', label: 'console.reason', width: 160 },
      { key: 'requestedBy', label: 'refund.requestedBy', value: (r) => (r.requestedBy as string | null) ?? '—' },
      { key: 'approvedBy', label: 'refund.approvedBy', value: (r) => (r.approvedBy as string | null) ?? '—' },
      { key: 'decisionNote', label: 'refund.decisionNote', width: 160 },
      { key: 'completedAt', label: 'refund.completedAt', value: (r) => when(r.completedAt as string), width: 160 },
      { key: 'outRefundNo', label: 'refund.outRefundNo', width: 240 },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      {
        name: 'status',
        label: 'common.status',
        kind: 'select',
        enum: 'RefundStatus',
      },
    ],
  },
  invoices: {
    title: 'nav.invoices',
    document: InvoicesDocument,
    page: page('invoices'),
    columns: [
      { key: 'createdAt', label: 'pay.createdAt', value: (r) => when(r.createdAt as string), width: 160 },
      { key: 'lotId', label: 'common.lot', value: (r) => lotName(r.lotId) },
      { key: 'plate', label: 'pay.plate' },
      { key: 'amountFen', label: 'pay.amount', value: money('amountFen') },
      { key: 'title', label: 'invoice.title', width: 160 },
      { key: 'taxNumber', label: 'invoice.taxNumber', width: 160 },
      { key: 'status', label: 'common.status', enum: 'InvoiceStatus', tag: statusTag },
      { key: 'number', label: 'invoice.number' },
      { key: 'issuedAt', label: 'invoice.issuedAt', value: (r) => when(r.issuedAt as string), width: 160 },
      // The provider's last refusal or trouble: why a FAILED one failed (重试 sends it again).
      { key: 'lastError', label: 'invoice.lastError', width: 200 },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', enum: 'InvoiceStatus' },
    ],
  },
}
