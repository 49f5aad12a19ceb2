// The catalogue and settings list pages: plate lists (blacklist, VIP, exempt, visitors), vehicle groups, pass
// products, merchants and their coupons (views/merchantPages.ts), partner API keys. Each is a Resource for
// ResourceTable (columns, filters, CSV) and a Catalogue of what may be done to it (create and edit forms, row
// actions), each form and action shown only to operators holding the permission its mutation requires.
import {
  ApiKeyCreateDocument,
  ApiKeyRevokeDocument,
  ApiKeysDocument,
  ListEntriesDocument,
  ListEntryCreateDocument,
  ListEntryDeleteDocument,
  ListEntryUpdateDocument,
  PassProductCreateDocument,
  PassProductsDocument,
  PassProductUpdateDocument,
  VehicleGroupCreateDocument,
  VehicleGroupsDocument,
  VehicleGroupUpdateDocument,
} from '../graphql/catalogue'
import type { Page, Resource, Row } from '../components/resource'
import { fen, isoOrNull, textOrNull, type Catalogue, type FormField } from '../components/form'
import { when, yuan } from '../lib/format'
import { auth } from '../stores/auth'
import { t } from '../i18n'
import { enumLabel } from '../lib/enums'
import { merchantCatalogues, merchantResources } from './merchantPages'
import { managementCatalogues } from './managementPages'

const page = (key: string) => (data: Record<string, unknown>) => data[key] as Page
const onOff = (row: Row) => (row.isActive ? 'success' : 'info')
const active = (row: Row) => t(row.isActive ? 'catalogue.active' : 'catalogue.inactive')
const timeWindow = (r: Row) => (r.windowStart ? `${String(r.windowStart).slice(0, 5)}-${String(r.windowEnd ?? '').slice(0, 5)}` : '')

export const LIST_CATEGORIES = ['BLACKLIST', 'VIP', 'EXEMPT', 'VISITOR', 'OFFICIAL', 'TEAM'] as const
export const PASS_CATEGORIES = ['MONTHLY', 'QUARTERLY', 'YEARLY', 'TIME_CONTROLLED', 'OFF_PEAK'] as const
const PERIODS = ['MONTH', 'QUARTER', 'YEAR'] as const
const VEHICLE_CLASSES = ['SMALL', 'LARGE', 'MOTORCYCLE', 'NEW_ENERGY'] as const
const SCOPE_LEVELS = ['PLATFORM', 'AGENT', 'CUSTOMER', 'LOT'] as const

const category = (v: string) => t(`catalogue.category.${v}`)
const period = (v: string) => t(`catalogue.period.${v}`)
const LIST_TAG: Record<string, 'danger' | 'success' | 'warning' | 'info'> = {
  BLACKLIST: 'danger',
  VIP: 'success',
  EXEMPT: 'success',
  VISITOR: 'warning',
}

export const catalogueResources: Record<string, Resource> = {
  listEntries: {
    title: 'nav.listEntries',
    document: ListEntriesDocument,
    page: page('listEntries'),
    columns: [
      { key: 'plate', label: 'catalogue.plate' },
      { key: 'category', label: 'catalogue.listKind', value: (r) => category(String(r.category)), tag: (r) => LIST_TAG[String(r.category)] ?? 'info' },
      { key: 'validFrom', label: 'catalogue.validFrom', value: (r) => when(r.validFrom as string) },
      { key: 'validUntil', label: 'catalogue.validUntil', value: (r) => when(r.validUntil as string) },
      { key: 'window', label: 'catalogue.window', value: timeWindow },
      { key: 'reason', label: 'catalogue.reason' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'category', label: 'catalogue.listKind', kind: 'select', options: LIST_CATEGORIES, optionLabel: category },
      { name: 'plate', label: 'catalogue.plate', kind: 'text' },
    ],
  },
  vehicleGroups: {
    title: 'nav.vehicleGroups',
    document: VehicleGroupsDocument,
    page: page('vehicleGroups'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'spaces', label: 'catalogue.spaces' },
      { key: 'vehicles', label: 'nav.vehicles', value: (r) => (r.vehicles as { plate: string }[]).map((v) => v.plate).join(' ') },
    ],
    filters: [{ name: 'lotId', label: 'common.lot', kind: 'lot' }],
  },
  passProducts: {
    title: 'nav.passProducts',
    document: PassProductsDocument,
    page: page('passProducts'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'category', label: 'catalogue.passKind', value: (r) => category(String(r.category)) },
      { key: 'period', label: 'catalogue.period', value: (r) => period(String(r.period)) },
      { key: 'priceFen', label: 'catalogue.priceYuan', value: (r) => yuan(r.priceFen as number) },
      { key: 'vehicleClass', label: 'tariff.vehicleClass', enum: 'VehicleClass' },
      { key: 'window', label: 'catalogue.window', value: timeWindow },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
      { key: 'soldOnline', label: 'manage.soldOnline', value: (r) => t(r.soldOnline ? 'common.yes' : 'common.no') },
      { key: 'quota', label: 'manage.quota', value: (r) => (r.quota === null || r.quota === undefined ? '' : String(r.quota)) },
    ],
    filters: [{ name: 'lotId', label: 'common.lot', kind: 'lot' }],
  },
  ...merchantResources,
  apiKeys: {
    title: 'nav.apiKeys',
    document: ApiKeysDocument,
    page: page('apiKeys'),
    hasFilter: false,
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'prefix', label: 'catalogue.keyPrefix' },
      { key: 'permissions', label: 'catalogue.permissions', value: (r) => (r.permissions as string[]).map((p) => enumLabel('Permission', p)).join(', ') },
      { key: 'scopeLevel', label: 'catalogue.scope', enum: 'ScopeLevel' },
      { key: 'createdAt', label: 'catalogue.createdAt', value: (r) => when(r.createdAt as string) },
      { key: 'lastUsedAt', label: 'catalogue.lastUsedAt', value: (r) => when(r.lastUsedAt as string) },
      {
        key: 'revokedAt',
        label: 'common.status',
        value: (r) => (r.revokedAt ? `${t('catalogue.revoked')} ${when(r.revokedAt as string)}` : t('catalogue.active')),
        tag: (r) => (r.revokedAt ? 'info' : 'success'),
      },
    ],
  },
}

/** The scope a new key gets: the level chosen, the tenants picked, else the creator's own agent and customer. */
export function keyScope(values: Record<string, unknown>): Record<string, unknown> {
  const level = String(values.scopeLevel || auth.me?.scopeLevel || 'LOT')
  return {
    level,
    agentId: textOrNull(values.agentId) ?? auth.me?.agentId ?? null,
    customerId: textOrNull(values.customerId) ?? auth.me?.customerId ?? null,
    lotIds: values.lotId ? [String(values.lotId)] : [],
  }
}

// Off-peak rental (错时停车): a product sold online to drivers, with a quota of spaces (0 or blank: no limit
// is asked of the form; the API takes null as "no quota").
const PRODUCT_SALE_FIELDS: FormField[] = [
  { name: 'soldOnline', label: 'manage.soldOnline', kind: 'switch' },
  { name: 'quota', label: 'manage.quota', kind: 'number', min: 0, max: 100000, visible: (v) => Boolean(v.soldOnline) },
]

export function productSale(v: Record<string, unknown>): { soldOnline: boolean; quota: number | null } {
  const quota = Number(v.quota ?? 0)
  return { soldOnline: Boolean(v.soldOnline), quota: v.soldOnline && quota > 0 ? quota : null }
}

export const catalogues: Record<string, Catalogue> = {
  listEntries: {
    create: {
      title: 'catalogue.newListEntry',
      perm: 'owners.manage',
      document: ListEntryCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'plate', label: 'catalogue.plate', kind: 'text', required: true },
        { name: 'category', label: 'catalogue.listKind', kind: 'select', options: LIST_CATEGORIES, optionLabel: category, required: true },
        { name: 'validFrom', label: 'catalogue.validFrom', kind: 'datetime', required: true },
        { name: 'validUntil', label: 'catalogue.validUntil', kind: 'datetime' },
        { name: 'reason', label: 'catalogue.reason', kind: 'text' },
      ],
      initial: () => ({ category: 'BLACKLIST', validFrom: new Date() }),
      variables: (v) => ({
        input: {
          lotId: v.lotId,
          plate: String(v.plate).trim(),
          category: v.category,
          validFrom: isoOrNull(v.validFrom),
          validUntil: isoOrNull(v.validUntil),
          reason: String(v.reason ?? '').trim(),
        },
      }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'owners.manage',
      document: ListEntryUpdateDocument,
      fields: [
        { name: 'category', label: 'catalogue.listKind', kind: 'select', options: LIST_CATEGORIES, optionLabel: category, required: true },
        { name: 'validUntil', label: 'catalogue.validUntil', kind: 'datetime' },
        { name: 'reason', label: 'catalogue.reason', kind: 'text' },
      ],
      initial: (row) => ({ category: row?.category, validUntil: row?.validUntil ?? null, reason: row?.reason ?? '' }),
      variables: (v, row) => ({
        id: row?.id,
        input: { category: v.category, validUntil: isoOrNull(v.validUntil), reason: String(v.reason ?? '').trim() },
      }),
    },
    actions: [
      {
        name: 'delete',
        label: 'catalogue.delete',
        perm: 'owners.manage',
        document: ListEntryDeleteDocument,
        variables: (row) => ({ id: row.id }),
        confirm: 'catalogue.deleteConfirm',
        danger: true,
      },
    ],
  },
  vehicleGroups: {
    create: {
      title: 'catalogue.newVehicleGroup',
      perm: 'owners.manage',
      document: VehicleGroupCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'spaces', label: 'catalogue.spaces', kind: 'number', min: 1, required: true },
      ],
      initial: () => ({ spaces: 1 }),
      variables: (v) => ({ input: { lotId: v.lotId, name: String(v.name).trim(), spaces: v.spaces } }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'owners.manage',
      document: VehicleGroupUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'spaces', label: 'catalogue.spaces', kind: 'number', min: 1, required: true },
      ],
      initial: (row) => ({ name: row?.name, spaces: row?.spaces }),
      variables: (v, row) => ({ id: row?.id, input: { name: String(v.name).trim(), spaces: v.spaces } }),
    },
  },
  passProducts: {
    create: {
      title: 'catalogue.newPassProduct',
      perm: 'passes.manage',
      document: PassProductCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'category', label: 'catalogue.passKind', kind: 'select', options: PASS_CATEGORIES, optionLabel: category, required: true },
        { name: 'period', label: 'catalogue.period', kind: 'select', options: PERIODS, optionLabel: period, required: true },
        { name: 'price', label: 'catalogue.priceYuan', kind: 'money', required: true },
        { name: 'vehicleClass', label: 'tariff.vehicleClass', kind: 'select', enum: 'VehicleClass', options: VEHICLE_CLASSES, required: true },
        ...PRODUCT_SALE_FIELDS,
      ],
      initial: () => ({ category: 'MONTHLY', period: 'MONTH', vehicleClass: 'SMALL', soldOnline: false, quota: 0 }),
      variables: (v) => ({
        input: {
          lotId: v.lotId,
          name: String(v.name).trim(),
          category: v.category,
          period: v.period,
          priceFen: fen(v.price),
          vehicleClass: v.vehicleClass,
          ...productSale(v),
        },
      }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'passes.manage',
      document: PassProductUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'price', label: 'catalogue.priceYuan', kind: 'money', required: true },
        { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
        ...PRODUCT_SALE_FIELDS,
      ],
      initial: (row) => ({
        name: row?.name,
        price: (row?.priceFen as number) / 100,
        isActive: row?.isActive,
        soldOnline: row?.soldOnline,
        quota: row?.quota ?? 0,
      }),
      variables: (v, row) => ({
        id: row?.id,
        input: { name: String(v.name).trim(), priceFen: fen(v.price), isActive: v.isActive, ...productSale(v) },
      }),
    },
  },
  ...merchantCatalogues,
  // Owners, vehicles, passes, operators, roles, devices, agents, customers, lanes (views/managementPages.ts).
  ...managementCatalogues,
  apiKeys: {
    create: {
      title: 'catalogue.newApiKey',
      perm: 'api_keys.manage',
      document: ApiKeyCreateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'permissions', label: 'catalogue.permissions', kind: 'permissions', required: true },
        { name: 'scopeLevel', label: 'catalogue.scope', kind: 'select', options: SCOPE_LEVELS, required: true },
        { name: 'agentId', label: 'nav.agents', kind: 'agent' },
        { name: 'customerId', label: 'nav.customers', kind: 'customer' },
        { name: 'lotId', label: 'common.lot', kind: 'lot' },
      ],
      initial: () => ({ scopeLevel: auth.me?.scopeLevel ?? 'LOT' }),
      variables: (v) => ({ input: { name: String(v.name).trim(), permissions: v.permissions, scope: keyScope(v) } }),
      reveal: (payload) => (typeof payload.key === 'string' ? payload.key : null),
    },
    actions: [
      {
        name: 'revoke',
        label: 'catalogue.revoke',
        perm: 'api_keys.manage',
        document: ApiKeyRevokeDocument,
        variables: (row) => ({ id: row.id }),
        confirm: 'catalogue.revokeConfirm',
        danger: true,
        hidden: (row) => Boolean(row.revokedAt),
      },
    ],
  },
}
