// The lot's side of merchants and coupons as catalogue pages (CatalogueView): merchants (credit limit, lots),
// coupon templates (per kind, with a live preview of the terms in words), coupons (issue to a plate, void with
// a reason) and parking codes (per kind, rotate, revoke). The merchant account drawer, the codes' QR and PDF
// and the statistics chart live in their own views.
import {
  CodeCreateDocument,
  CodeRevokeDocument,
  CodeRotateDocument,
  CouponIssueDocument,
  CouponListDocument,
  CouponTemplateCreateDocument,
  CouponTemplatesDocument,
  CouponTemplateUpdateDocument,
  CouponVoidDocument,
  MerchantAccountCreateDocument,
  MerchantAccountsDocument,
  MerchantAccountUpdateDocument,
  MerchantInviteRotateDocument,
  ParkingCodesDocument,
} from '../graphql/merchants'
import type { Page, Resource, Row } from '../components/resource'
import { fen, isoOrNull, textOrNull, type Catalogue, type FormField, type Values } from '../components/form'
import {
  CODE_KINDS,
  COUPON_KINDS,
  COUPON_SOURCES,
  COUPON_STATUSES,
  couponMeaning,
  couponValue,
  templateValue,
  valueFields,
} from '../lib/coupons'
import { when, yuan } from '../lib/format'
import { t } from '../i18n'

const page = (key: string) => (data: Record<string, unknown>) => data[key] as Page
const onOff = (row: Row) => (row.isActive ? 'success' : 'info')
const active = (row: Row) => t(row.isActive ? 'catalogue.active' : 'catalogue.inactive')
export const couponKind = (v: string) => t(`catalogue.couponKind.${v}`)
export const couponStatus = (v: string) => t(`catalogue.couponStatus.${v}`)
export const couponSource = (v: string) => t(`coupon.source.${v}`)
export const codeKind = (v: string) => t(`code.kind.${v}`)
const STATUS_TAG: Record<string, 'success' | 'info' | 'warning' | 'danger'> = {
  ISSUED: 'success',
  REDEEMED: 'info',
  EXPIRED: 'warning',
  VOID: 'danger',
}
/** A count field left at 0 means "no limit" (null in the API). */
const limit = (v: unknown) => (Number(v) > 0 ? Number(v) : null)

// ---- merchants -------------------------------------------------------------------------------------------------

const merchantFields: FormField[] = [
  { name: 'name', label: 'common.name', kind: 'text', required: true },
  { name: 'contactName', label: 'catalogue.contact', kind: 'text' },
  { name: 'phone', label: 'catalogue.phone', kind: 'text' },
  { name: 'creditLimit', label: 'merchant.creditLimitYuan', kind: 'money' },
  { name: 'lotIds', label: 'merchant.otherLots', kind: 'lots' },
]

const merchantInput = (v: Values) => ({
  name: String(v.name).trim(),
  contactName: textOrNull(v.contactName),
  phone: String(v.phone ?? '').trim(),
  creditLimitFen: fen(v.creditLimit),
  lotIds: v.lotIds,
})

// ---- coupon templates ----------------------------------------------------------------------------------------

const kindIs =
  (...kinds: string[]) =>
  (v: Values) =>
    kinds.includes(String(v.kind))

const templateTermFields: FormField[] = [
  { name: 'minutes', label: 'coupon.field.minutes', kind: 'number', min: 1, required: true, visible: kindIs('MINUTES') },
  { name: 'amount', label: 'coupon.field.amount', kind: 'money', required: true, visible: kindIs('AMOUNT') },
  { name: 'percent', label: 'coupon.field.percent', kind: 'number', min: 1, max: 99, required: true, visible: kindIs('PERCENT') },
  { name: 'until', label: 'coupon.field.until', kind: 'time', required: true, visible: kindIs('UNTIL') },
  { name: 'price', label: 'coupon.field.price', kind: 'money' },
  { name: 'validMinutes', label: 'coupon.field.validMinutes', kind: 'number', min: 1, required: true },
  { name: 'sellFrom', label: 'coupon.field.sellFrom', kind: 'datetime' },
  { name: 'sellUntil', label: 'coupon.field.sellUntil', kind: 'datetime' },
  { name: 'maxPerStay', label: 'coupon.field.maxPerStay', kind: 'number', min: 1, required: true },
  { name: 'maxPerPlatePerDay', label: 'coupon.field.maxPerPlatePerDay', kind: 'number', min: 0 },
  { name: 'stackable', label: 'coupon.field.stackable', kind: 'switch' },
]

/** The terms as the preview reads them from the form. */
export function formTerms(v: Values) {
  return {
    kind: String(v.kind),
    value: templateValue(String(v.kind), v) ?? 0,
    validMinutes: Number(v.validMinutes) || null,
    priceFen: fen(v.price),
    maxPerStay: Number(v.maxPerStay) || null,
    maxPerPlatePerDay: limit(v.maxPerPlatePerDay),
    stackable: Boolean(v.stackable),
  }
}

const templateInput = (v: Values) => ({
  name: String(v.name).trim(),
  kind: v.kind,
  value: templateValue(String(v.kind), v),
  priceFen: fen(v.price),
  validMinutes: Number(v.validMinutes),
  sellFrom: isoOrNull(v.sellFrom),
  sellUntil: isoOrNull(v.sellUntil),
  maxPerStay: Number(v.maxPerStay),
  maxPerPlatePerDay: limit(v.maxPerPlatePerDay),
  stackable: Boolean(v.stackable),
})

const templatePreview = (v: Values) => (templateValue(String(v.kind), v) === null ? '' : couponMeaning(formTerms(v)))
const templateCheck = (v: Values) => (templateValue(String(v.kind), v) === null ? 'coupon.badValue' : null)

// ---- parking codes --------------------------------------------------------------------------------------------

const codeStatus = (r: Row) => {
  if (r.revokedAt) return t('code.status.revoked')
  if (r.expiresAt && new Date(String(r.expiresAt)) < new Date()) return t('code.status.expired')
  if (r.maxUses && Number(r.usedCount) >= Number(r.maxUses)) return t('code.status.usedUp')
  return t('code.status.active')
}

export const merchantResources: Record<string, Resource> = {
  merchants: {
    title: 'nav.merchants',
    document: MerchantAccountsDocument,
    page: page('merchants'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'contactName', label: 'catalogue.contact' },
      { key: 'phone', label: 'catalogue.phone' },
      { key: 'balanceFen', label: 'catalogue.balanceYuan', value: (r) => yuan(r.balanceFen as number) },
      { key: 'creditLimitFen', label: 'merchant.creditLimitYuan', value: (r) => yuan(r.creditLimitFen as number) },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
      { key: 'createdAt', label: 'catalogue.createdAt', value: (r) => when(r.createdAt as string) },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'search', label: 'common.search', kind: 'text' },
    ],
  },
  couponTemplates: {
    title: 'nav.couponTemplates',
    document: CouponTemplatesDocument,
    page: page('couponTemplates'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'kind', label: 'catalogue.couponKind', value: (r) => couponKind(String(r.kind)) },
      {
        key: 'terms',
        label: 'coupon.terms',
        width: 320,
        value: (r) => couponMeaning(r as unknown as Parameters<typeof couponMeaning>[0]),
      },
      { key: 'priceFen', label: 'coupon.field.price', value: (r) => yuan(r.priceFen as number) },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'isActive', label: 'catalogue.active', kind: 'bool' },
    ],
  },
  coupons: {
    title: 'nav.coupons',
    document: CouponListDocument,
    page: page('coupons'),
    columns: [
      { key: 'code', label: 'catalogue.couponCode', width: 140 },
      { key: 'merchantName', label: 'nav.merchants' },
      { key: 'plate', label: 'catalogue.plate' },
      { key: 'value', label: 'catalogue.couponValue', width: 160, value: (r) => couponValue(r as { kind: string; value: number }) },
      { key: 'source', label: 'coupon.sourceLabel', value: (r) => couponSource(String(r.source)) },
      { key: 'status', label: 'common.status', value: (r) => couponStatus(String(r.status)), tag: (r) => STATUS_TAG[String(r.status)] ?? 'info' },
      { key: 'validUntil', label: 'catalogue.validUntil', value: (r) => when(r.validUntil as string) },
      { key: 'redeemedAt', label: 'catalogue.redeemedAt', value: (r) => when(r.redeemedAt as string) },
      { key: 'discountFen', label: 'coupon.discountYuan', value: (r) => yuan(Number(r.discountFen ?? 0)) },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'merchantId', label: 'nav.merchants', kind: 'merchant' },
      { name: 'templateId', label: 'coupon.template', kind: 'template' },
      { name: 'status', label: 'common.status', kind: 'select', options: COUPON_STATUSES, optionLabel: couponStatus },
      { name: 'source', label: 'coupon.sourceLabel', kind: 'select', options: COUPON_SOURCES, optionLabel: couponSource },
      { name: 'plate', label: 'catalogue.plate', kind: 'text' },
    ],
  },
  parkingCodes: {
    title: 'nav.parkingCodes',
    document: ParkingCodesDocument,
    page: page('parkingCodes'),
    columns: [
      { key: 'label', label: 'code.label' },
      { key: 'kind', label: 'code.kindLabel', value: (r) => codeKind(String(r.kind)) },
      { key: 'uses', label: 'code.uses', value: (r) => `${r.usedCount}${r.maxUses ? ` / ${r.maxUses}` : ''}` },
      { key: 'validFrom', label: 'catalogue.validFrom', value: (r) => when(r.validFrom as string) },
      { key: 'expiresAt', label: 'catalogue.validUntil', value: (r) => when(r.expiresAt as string) },
      { key: 'status', label: 'common.status', value: codeStatus, tag: (r) => (codeStatus(r) === t('code.status.active') ? 'success' : 'info') },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'kind', label: 'code.kindLabel', kind: 'select', options: CODE_KINDS, optionLabel: codeKind },
      { name: 'merchantId', label: 'nav.merchants', kind: 'merchant' },
      { name: 'includeRevoked', label: 'code.includeRevoked', kind: 'bool' },
    ],
  },
}

const MERCHANT_PERM = 'merchants.manage'
const laneKinds = kindIs('NO_PLATE', 'EXIT')
const couponCodeKinds = kindIs('MERCHANT', 'CONFERENCE', 'VIP')

export const merchantCatalogues: Record<string, Catalogue> = {
  merchants: {
    create: {
      title: 'catalogue.newMerchant',
      perm: MERCHANT_PERM,
      document: MerchantAccountCreateDocument,
      fields: [{ name: 'lotId', label: 'common.lot', kind: 'lot', required: true }, ...merchantFields],
      initial: () => ({ lotIds: [] }),
      variables: (v) => ({ input: { lotId: v.lotId, ...merchantInput(v) } }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: MERCHANT_PERM,
      document: MerchantAccountUpdateDocument,
      fields: [...merchantFields, { name: 'isActive', label: 'catalogue.active', kind: 'switch' }],
      initial: (row) => ({
        name: row?.name,
        contactName: row?.contactName,
        phone: row?.phone,
        creditLimit: Number(row?.creditLimitFen ?? 0) / 100,
        lotIds: [...((row?.lotIds as string[] | undefined) ?? [])],
        isActive: row?.isActive,
      }),
      variables: (v, row) => ({ id: row?.id, input: { ...merchantInput(v), isActive: v.isActive } }),
    },
    actions: [
      {
        name: 'rotate-invite',
        label: 'merchant.rotateInvite',
        perm: MERCHANT_PERM,
        document: MerchantInviteRotateDocument,
        variables: (row) => ({ id: row.id }),
        confirm: 'merchant.rotateInviteConfirm',
      },
    ],
  },
  couponTemplates: {
    create: {
      title: 'coupon.newTemplate',
      perm: MERCHANT_PERM,
      document: CouponTemplateCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'kind', label: 'catalogue.couponKind', kind: 'select', options: COUPON_KINDS, optionLabel: couponKind, required: true },
        ...templateTermFields,
      ],
      initial: () => ({ kind: 'MINUTES', ...valueFields('MINUTES', 60), validMinutes: 1440, maxPerStay: 1, stackable: true }),
      preview: templatePreview,
      check: templateCheck,
      variables: (v) => ({ input: { lotId: v.lotId, ...templateInput(v) } }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: MERCHANT_PERM,
      document: CouponTemplateUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'kind', label: 'catalogue.couponKind', kind: 'select', options: COUPON_KINDS, optionLabel: couponKind, required: true },
        ...templateTermFields,
        { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
      ],
      initial: (row) => ({
        name: row?.name,
        kind: row?.kind,
        ...valueFields(String(row?.kind), Number(row?.value ?? 0)),
        price: Number(row?.priceFen ?? 0) / 100,
        validMinutes: row?.validMinutes,
        sellFrom: row?.sellFrom ?? null,
        sellUntil: row?.sellUntil ?? null,
        maxPerStay: row?.maxPerStay,
        maxPerPlatePerDay: row?.maxPerPlatePerDay ?? 0,
        stackable: row?.stackable,
        isActive: row?.isActive,
      }),
      preview: templatePreview,
      check: templateCheck,
      variables: (v, row) => ({ id: row?.id, input: { ...templateInput(v), isActive: Boolean(v.isActive) } }),
    },
  },
  coupons: {
    create: {
      title: 'coupon.issue',
      perm: MERCHANT_PERM,
      document: CouponIssueDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'merchantId', label: 'nav.merchants', kind: 'merchant', required: true },
        { name: 'templateId', label: 'coupon.template', kind: 'template', required: true },
        { name: 'plate', label: 'catalogue.plate', kind: 'text', required: true },
      ],
      variables: (v) => ({
        input: { merchantId: v.merchantId, templateId: v.templateId, plate: String(v.plate).trim().toUpperCase() },
      }),
    },
    actions: [
      {
        name: 'void',
        label: 'coupon.void',
        perm: MERCHANT_PERM,
        document: CouponVoidDocument,
        variables: (row, reason) => ({ id: row.id, reason: reason ?? '' }),
        prompt: 'coupon.voidReason',
        danger: true,
        hidden: (row) => row.status !== 'ISSUED',
      },
    ],
  },
  parkingCodes: {
    create: {
      title: 'code.new',
      perm: MERCHANT_PERM,
      document: CodeCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'kind', label: 'code.kindLabel', kind: 'select', options: CODE_KINDS, optionLabel: codeKind, required: true },
        { name: 'label', label: 'code.label', kind: 'text' },
        { name: 'laneId', label: 'nav.lanes', kind: 'lane', required: true, visible: laneKinds },
        { name: 'merchantId', label: 'nav.merchants', kind: 'merchant', required: true, visible: couponCodeKinds },
        { name: 'templateId', label: 'coupon.template', kind: 'template', required: true, visible: couponCodeKinds },
        { name: 'validFrom', label: 'catalogue.validFrom', kind: 'datetime' },
        { name: 'expiresAt', label: 'catalogue.validUntil', kind: 'datetime', required: true },
        { name: 'maxUses', label: 'code.maxUses', kind: 'number', min: 0 },
        { name: 'perPlatePerDay', label: 'code.perPlatePerDay', kind: 'number', min: 0, visible: kindIs('MERCHANT', 'CONFERENCE') },
      ],
      initial: () => ({ kind: 'IN_LOT', expiresAt: new Date(Date.now() + 365 * 86_400_000) }),
      preview: (v) => t(`code.explain.${String(v.kind)}`),
      variables: (v) => ({
        input: {
          lotId: v.lotId,
          kind: v.kind,
          label: String(v.label ?? '').trim(),
          laneId: laneKinds(v) ? v.laneId : null,
          merchantId: couponCodeKinds(v) ? v.merchantId : null,
          templateId: couponCodeKinds(v) ? v.templateId : null,
          validFrom: isoOrNull(v.validFrom),
          expiresAt: isoOrNull(v.expiresAt),
          maxUses: limit(v.maxUses),
          perPlatePerDay: kindIs('MERCHANT', 'CONFERENCE')(v) ? limit(v.perPlatePerDay) : null,
        },
      }),
    },
    actions: [
      {
        name: 'rotate',
        label: 'code.rotate',
        perm: MERCHANT_PERM,
        document: CodeRotateDocument,
        variables: (row) => ({ id: row.id }),
        confirm: 'code.rotateConfirm',
        hidden: (row) => Boolean(row.revokedAt),
      },
      {
        name: 'revoke',
        label: 'code.revoke',
        perm: MERCHANT_PERM,
        document: CodeRevokeDocument,
        variables: (row) => ({ id: row.id }),
        confirm: 'code.revokeConfirm',
        danger: true,
        hidden: (row) => Boolean(row.revokedAt),
      },
    ],
  },
}
