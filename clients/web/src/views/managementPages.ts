// What a manager does on the owners, vehicles, passes, operators, roles, devices, agents, customers and lanes
// pages: create and edit forms and row actions (a Catalogue per page, drawn by CatalogueView), each shown only to
// operators holding the permission its mutation requires. The tables themselves are the Resources of resources.ts.
import {
  AgentUpdateDocument,
  CustomerUpdateDocument,
  DeviceDeleteDocument,
  DeviceRegisterDocument,
  DeviceUpdateDocument,
  LaneDeleteDocument,
  LaneUpdateDocument,
  AreaUpdateDocument,
  LotDeleteDocument,
  LotUpdateDocument,
  OperatorCreateDocument,
  OperatorDeleteDocument,
  OperatorUpdateDocument,
  OwnerCreateDocument,
  OwnerDeleteDocument,
  OwnerUpdateDocument,
  PassCreateDocument,
  PassRenewDocument,
  PassUpdateDocument,
  RoleCreateDocument,
  RoleDeleteDocument,
  RoleUpdateDocument,
  PaymentPayFromWalletDocument,
  PaymentRecordCashDocument,
  SessionOwedDocument,
  VipCodesCreateDocument,
  VehicleCreateDocument,
  VehicleDeleteDocument,
  VehicleUpdateDocument,
} from '../graphql/management'
import { isoOrNull, textOrNull, type Catalogue, type FormSpec, type RowAction, type Values } from '../components/form'
import type { Page, Resource, Row } from '../components/resource'
import { RolesDocument } from '../graphql/operations'
import { auth } from '../stores/auth'
import { when, yuan } from '../lib/format'
import { client } from '../graphql/client'
import { t } from '../i18n'

export const PLATE_COLORS = ['BLUE', 'YELLOW', 'GREEN', 'WHITE', 'BLACK', 'YELLOW_GREEN'] as const
export const VEHICLE_CLASSES = ['SMALL', 'LARGE', 'MOTORCYCLE', 'NEW_ENERGY'] as const
export const SCOPE_LEVELS = ['PLATFORM', 'AGENT', 'CUSTOMER', 'LOT'] as const
export const DEVICE_KINDS = ['CONTROLLER', 'CAMERA', 'DISPLAY', 'KIOSK', 'BOOTH_TERMINAL', 'INTERCOM'] as const
const LANE_MODES = ['AUTO', 'ATTENDED', 'REMOTE'] as const
const RENEW_METHODS = ['cash', 'wallet', 'transfer', 'wechat', 'alipay'] as const

const enumLabel = (group: string) => (v: string) => {
  const key = `manage.${group}.${v}`
  const words = t(key)
  return words === key ? v : words
}
const id = (v: unknown) => (v as { id?: string } | null)?.id ?? null
const text = (v: unknown) => String(v ?? '').trim()
const confirmDelete = 'manage.deleteConfirm'

/** The new operator's scope: the level chosen, the tenants picked, else the creator's own agent and customer. */
export function operatorScope(values: Values): Record<string, unknown> {
  return {
    level: String(values.scopeLevel || auth.me?.scopeLevel || 'LOT'),
    agentId: textOrNull(values.agentId) ?? auth.me?.agentId ?? null,
    customerId: textOrNull(values.customerId) ?? auth.me?.customerId ?? null,
    lotIds: (values.lotIds as string[] | undefined) ?? [],
  }
}

/** A device's configuration typed as JSON in the register form; null when it does not parse to an object. */
export function parseConfig(value: unknown): Record<string, unknown> | null {
  // The config form gives an object; its JSON view gives text that did not parse as one.
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(String(value ?? '').trim() || '{}')
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** Whether an edited device has a configuration to edit (a registered one; its JSON view's text counts). */
export function configured(values: Record<string, unknown>): boolean {
  const config = values.config
  return typeof config === 'string' || Boolean(config && typeof config === 'object' && 'type' in config)
}

/** Allowed source addresses typed one per line or comma-separated. */
export function ipList(value: unknown): string[] {
  return String(value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** The pass's transfer: the same product for another vehicle, from now until the pass's end. */
export function transferInput(row: Row, values: Values, now = new Date()): Record<string, unknown> {
  return {
    productId: id(row.product),
    vehicleId: values.vehicleId,
    startsAt: now.toISOString(),
    endsAt: isoOrNull(row.endsAt),
  }
}

// Agents and customers are edited alike: a name, a contact, a phone and whether they are active.
const contactEdit = (perm: string, document: FormSpec['document']): FormSpec => ({
  title: 'catalogue.edit',
  perm,
  document,
  fields: [
    { name: 'name', label: 'common.name', kind: 'text', required: true },
    { name: 'contactName', label: 'field.contact', kind: 'text' },
    { name: 'phone', label: 'field.phone', kind: 'text' },
    { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
  ],
  initial: (row) => ({ name: row?.name, contactName: row?.contactName ?? '', phone: row?.phone ?? '', isActive: row?.isActive }),
  variables: (v, row) => ({
    id: row?.id,
    input: { name: text(v.name), contactName: text(v.contactName), phone: text(v.phone), isActive: Boolean(v.isActive) },
  }),
})

const del = (perm: string, document: RowAction['document']): RowAction => ({
  name: 'delete',
  label: 'catalogue.delete',
  perm,
  document,
  variables: (row: Row) => ({ id: row.id }),
  confirm: confirmDelete,
  danger: true,
})

export const managementCatalogues: Record<string, Catalogue> = {
  owners: {
    create: {
      title: 'manage.newOwner',
      perm: 'owners.manage',
      document: OwnerCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'phone', label: 'field.phone', kind: 'text' },
        { name: 'address', label: 'lot.address', kind: 'text' },
        { name: 'note', label: 'field.note', kind: 'text' },
      ],
      variables: (v) => ({
        input: { lotId: v.lotId, name: text(v.name), phone: text(v.phone), address: text(v.address), note: text(v.note) },
      }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'owners.manage',
      document: OwnerUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'phone', label: 'field.phone', kind: 'text' },
        { name: 'address', label: 'lot.address', kind: 'text' },
      ],
      initial: (row) => ({ name: row?.name, phone: row?.phone ?? '', address: row?.address ?? '' }),
      variables: (v, row) => ({ id: row?.id, input: { name: text(v.name), phone: text(v.phone), address: text(v.address) } }),
    },
    actions: [del('owners.manage', OwnerDeleteDocument)],
  },
  vehicles: {
    create: {
      title: 'manage.newVehicle',
      perm: 'owners.manage',
      document: VehicleCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'plate', label: 'field.plate', kind: 'text', required: true },
        { name: 'plateColor', label: 'field.colour', kind: 'select', options: PLATE_COLORS, optionLabel: enumLabel('plateColor'), required: true },
        { name: 'vehicleClass', label: 'tariff.vehicleClass', kind: 'select', options: VEHICLE_CLASSES, optionLabel: enumLabel('vehicleClass'), required: true },
        { name: 'ownerId', label: 'nav.owners', kind: 'owner' },
        { name: 'note', label: 'field.note', kind: 'text' },
      ],
      initial: () => ({ plateColor: 'BLUE', vehicleClass: 'SMALL' }),
      variables: (v) => ({
        input: {
          lotId: v.lotId,
          plate: text(v.plate),
          plateColor: v.plateColor,
          vehicleClass: v.vehicleClass,
          ownerId: textOrNull(v.ownerId),
          note: text(v.note),
        },
      }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'owners.manage',
      document: VehicleUpdateDocument,
      fields: [
        { name: 'plate', label: 'field.plate', kind: 'text', required: true },
        { name: 'plateColor', label: 'field.colour', kind: 'select', options: PLATE_COLORS, optionLabel: enumLabel('plateColor'), required: true },
        { name: 'vehicleClass', label: 'tariff.vehicleClass', kind: 'select', options: VEHICLE_CLASSES, optionLabel: enumLabel('vehicleClass'), required: true },
        { name: 'ownerId', label: 'nav.owners', kind: 'owner' },
        { name: 'note', label: 'field.note', kind: 'text' },
      ],
      initial: (row) => ({
        plate: row?.plate,
        plateColor: row?.plateColor,
        vehicleClass: row?.vehicleClass,
        ownerId: id(row?.owner),
        note: row?.note ?? '',
      }),
      variables: (v, row) => ({
        id: row?.id,
        input: {
          plate: text(v.plate),
          plateColor: v.plateColor,
          vehicleClass: v.vehicleClass,
          ownerId: textOrNull(v.ownerId),
          note: text(v.note),
        },
      }),
    },
    actions: [del('owners.manage', VehicleDeleteDocument)],
  },
  passes: {
    create: {
      title: 'manage.newPass',
      perm: 'passes.manage',
      document: PassCreateDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'productId', label: 'field.product', kind: 'product', required: true },
        { name: 'vehicleId', label: 'field.plate', kind: 'vehicle', required: true },
        { name: 'startsAt', label: 'field.starts', kind: 'datetime', required: true },
        { name: 'endsAt', label: 'field.ends', kind: 'datetime' },
      ],
      initial: () => ({ startsAt: new Date() }),
      variables: (v) => ({
        input: { productId: v.productId, vehicleId: v.vehicleId, startsAt: isoOrNull(v.startsAt), endsAt: isoOrNull(v.endsAt) },
      }),
    },
    actions: [
      {
        name: 'renew',
        label: 'manage.renew',
        perm: 'passes.manage',
        document: PassRenewDocument,
        form: [
          { name: 'periods', label: 'manage.periods', kind: 'number', min: 1, max: 36, required: true },
          { name: 'method', label: 'manage.method', kind: 'select', options: RENEW_METHODS, optionLabel: enumLabel('method'), required: true },
        ],
        formInitial: () => ({ periods: 1, method: 'cash' }),
        variables: (row, _answer, v) => ({ id: row.id, periods: Number(v?.periods ?? 1), method: String(v?.method ?? 'cash') }),
        hidden: (row) => row.status === 'CANCELLED',
      },
      {
        name: 'transfer',
        label: 'manage.transfer',
        perm: 'passes.manage',
        document: PassCreateDocument,
        form: [
          { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
          { name: 'vehicleId', label: 'manage.toVehicle', kind: 'vehicle', required: true },
        ],
        variables: (row, _answer, v) => ({ input: transferInput(row, v ?? {}) }),
        // The new pass exists before the old one is cancelled: a refused transfer leaves the old pass as it was.
        then: (row) => ({ document: PassUpdateDocument, variables: { id: row.id, input: { status: 'CANCELLED' } } }),
        hidden: (row) => row.status === 'CANCELLED',
      },
      {
        name: 'suspend',
        label: 'manage.suspend',
        perm: 'passes.manage',
        document: PassUpdateDocument,
        variables: (row) => ({ id: row.id, input: { status: 'SUSPENDED' } }),
        hidden: (row) => row.status !== 'ACTIVE',
      },
      {
        name: 'reactivate',
        label: 'manage.reactivate',
        perm: 'passes.manage',
        document: PassUpdateDocument,
        variables: (row) => ({ id: row.id, input: { status: 'ACTIVE' } }),
        hidden: (row) => row.status !== 'SUSPENDED',
      },
      {
        name: 'cancel',
        label: 'manage.cancelPass',
        perm: 'passes.manage',
        document: PassUpdateDocument,
        variables: (row) => ({ id: row.id, input: { status: 'CANCELLED' } }),
        confirm: 'manage.cancelConfirm',
        danger: true,
        hidden: (row) => row.status === 'CANCELLED',
      },
    ],
  },
  operators: {
    create: {
      title: 'manage.newOperator',
      perm: 'operators.manage',
      document: OperatorCreateDocument,
      fields: [
        { name: 'username', label: 'login.username', kind: 'text', required: true },
        { name: 'displayName', label: 'common.name', kind: 'text' },
        { name: 'phone', label: 'field.phone', kind: 'text' },
        { name: 'password', label: 'login.password', kind: 'password', required: true },
        { name: 'roleId', label: 'nav.roles', kind: 'role', required: true },
        { name: 'scopeLevel', label: 'field.scope', kind: 'select', options: SCOPE_LEVELS, optionLabel: enumLabel('scope'), required: true },
        { name: 'agentId', label: 'nav.agents', kind: 'agent', visible: (v) => v.scopeLevel !== 'PLATFORM' },
        { name: 'customerId', label: 'nav.customers', kind: 'customer', visible: (v) => v.scopeLevel === 'CUSTOMER' || v.scopeLevel === 'LOT' },
        { name: 'lotIds', label: 'nav.lots', kind: 'lots', visible: (v) => v.scopeLevel === 'LOT' },
      ],
      initial: () => ({ scopeLevel: auth.me?.scopeLevel ?? 'LOT' }),
      variables: (v) => ({
        input: {
          username: text(v.username),
          displayName: textOrNull(v.displayName),
          phone: text(v.phone),
          password: String(v.password ?? ''),
          roleId: v.roleId,
          scope: operatorScope(v),
        },
      }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'operators.manage',
      document: OperatorUpdateDocument,
      fields: [
        { name: 'displayName', label: 'common.name', kind: 'text' },
        { name: 'phone', label: 'field.phone', kind: 'text' },
        { name: 'roleId', label: 'nav.roles', kind: 'role', required: true },
        { name: 'password', label: 'manage.newPassword', kind: 'password' },
        { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
      ],
      initial: (row) => ({
        displayName: row?.displayName ?? '',
        phone: row?.phone ?? '',
        roleId: id(row?.role),
        isActive: row?.isActive,
      }),
      variables: (v, row) => ({
        id: row?.id,
        input: {
          displayName: text(v.displayName),
          phone: text(v.phone),
          roleId: v.roleId,
          isActive: Boolean(v.isActive),
          // Left blank: the password stays as it is.
          password: textOrNull(v.password),
        },
      }),
    },
    actions: [del('operators.manage', OperatorDeleteDocument)],
  },
  roles: {
    create: {
      title: 'manage.newRole',
      perm: 'roles.manage',
      document: RoleCreateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'description', label: 'manage.description', kind: 'text' },
        { name: 'permissions', label: 'catalogue.permissions', kind: 'permissionTree', required: true },
      ],
      variables: (v) => ({ input: { name: text(v.name), description: text(v.description), permissions: v.permissions } }),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'roles.manage',
      document: RoleUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'description', label: 'manage.description', kind: 'text' },
        { name: 'permissions', label: 'catalogue.permissions', kind: 'permissionTree', required: true },
      ],
      initial: (row) => ({ name: row?.name, description: row?.description ?? '', permissions: [...((row?.permissions as string[]) ?? [])] }),
      variables: (v, row) => ({ id: row?.id, input: { name: text(v.name), description: text(v.description), permissions: v.permissions } }),
    },
    actions: [del('roles.manage', RoleDeleteDocument)],
  },
  devices: {
    create: {
      title: 'manage.registerDevice',
      perm: 'devices.manage',
      document: DeviceRegisterDocument,
      fields: [
        { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
        { name: 'laneId', label: 'nav.lanes', kind: 'lane' },
        { name: 'kind', label: 'field.kind', kind: 'select', options: DEVICE_KINDS, optionLabel: enumLabel('deviceKind'), required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'model', label: 'field.model', kind: 'text' },
        { name: 'serial', label: 'field.serial', kind: 'text' },
        { name: 'config', label: 'manage.config', kind: 'deviceConfig', required: true },
        { name: 'allowedIps', label: 'manage.allowedIps', kind: 'text' },
      ],
      initial: () => ({ kind: 'CAMERA', config: { type: 'vzenith' } }),
      check: (v) => (parseConfig(v.config) ? null : 'manage.badConfig'),
      variables: (v) => ({
        input: {
          lotId: v.lotId,
          laneId: textOrNull(v.laneId),
          kind: v.kind,
          name: text(v.name),
          model: text(v.model),
          serial: textOrNull(v.serial),
          config: parseConfig(v.config),
          allowedIps: ipList(v.allowedIps),
        },
      }),
      reveal: (payload) => (typeof payload.secret === 'string' ? payload.secret : null),
    },
    edit: {
      title: 'catalogue.edit',
      perm: 'devices.manage',
      document: DeviceUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'laneId', label: 'nav.lanes', kind: 'lane' },
        { name: 'model', label: 'field.model', kind: 'text' },
        { name: 'ip', label: 'field.ip', kind: 'text' },
        // A registered device's configuration (its type and serial stay; a password left out is kept).
        { name: 'config', label: 'manage.config', kind: 'deviceConfig', visible: configured },
      ],
      initial: (row) => ({
        name: row?.name,
        laneId: id(row?.lane),
        model: row?.model ?? '',
        ip: row?.ip ?? '',
        config: (row?.config as Record<string, unknown> | undefined) ?? {},
      }),
      check: (v) => (!configured(v) || parseConfig(v.config) ? null : 'manage.badConfig'),
      variables: (v, row) => ({
        id: row?.id,
        input: {
          name: text(v.name),
          laneId: textOrNull(v.laneId),
          model: text(v.model),
          ip: text(v.ip),
          ...(configured(v) ? { config: parseConfig(v.config) } : {}),
        },
      }),
    },
    actions: [del('devices.manage', DeviceDeleteDocument)],
  },
  agents: {
    edit: contactEdit('agents.manage', AgentUpdateDocument),
  },
  customers: {
    edit: contactEdit('customers.manage', CustomerUpdateDocument),
  },
  lanes: {
    edit: {
      title: 'catalogue.edit',
      perm: 'lots.manage',
      document: LaneUpdateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'mode', label: 'lane.mode', kind: 'select', options: LANE_MODES, optionLabel: enumLabel('laneMode'), required: true },
        { name: 'booth', label: 'lane.booth', kind: 'text' },
        { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
      ],
      initial: (row) => ({ name: row?.name, mode: row?.mode, booth: row?.booth ?? '', isActive: row?.isActive }),
      variables: (v, row) => ({
        id: row?.id,
        input: { name: text(v.name), mode: v.mode, booth: text(v.booth), isActive: Boolean(v.isActive) },
      }),
    },
    actions: [del('lots.manage', LaneDeleteDocument)],
  },
}

/** What a stay owes now as the API bills it (the booth takes exactly this), kept on the row as owedFen. */
async function withOwed(row: Row): Promise<Row> {
  const r = await client.query(SessionOwedDocument, { sessionId: String(row.id) }, { requestPolicy: 'network-only' }).toPromise()
  if (r.error) throw new Error(r.error.message)
  const owedFen = r.data?.sessionOwed ?? 0
  if (owedFen <= 0) throw new Error(t('booth.nothingDue'))
  return { ...row, owedFen }
}

/** The amount fetched by withOwed. */
export const owed = (row: Row) => Number(row.owedFen ?? 0)

/** The booth's receipt: plate, amount, channel, order number, time, and whether the gate opened. */
export function receiptLines(payload: Record<string, unknown>, row: Row): [string, string][] {
  const order = (payload.order ?? {}) as Record<string, unknown>
  const lines: [string, string][] = [
    ['field.plate', String(row.plate ?? '')],
    ['booth.amount', `¥${yuan(Number(order.amountFen ?? 0))}`],
    ['booth.channel', String(order.channel ?? '')],
    ['booth.order', String(order.outTradeNo ?? '')],
    ['booth.paidAt', when((order.paidAt as string | null) ?? new Date().toISOString())],
  ]
  if (typeof payload.balanceFen === 'number') lines.push(['booth.balance', `¥${yuan(payload.balanceFen)}`])
  if (payload.gateOpened) lines.push(['booth.gateOpened', '✓'])
  return lines
}

// The booth: a held exit (or any open stay that owes) paid in cash or from its owner's wallet, with a receipt.
managementCatalogues.sessions = {
  actions: [
    {
      name: 'cash',
      label: 'booth.cash',
      perm: 'cash.collect',
      document: PaymentRecordCashDocument,
      confirm: 'booth.cashConfirm',
      confirmDetail: (row) => `${String(row.plate)} ¥${yuan(owed(row))}`,
      variables: (row) => ({ sessionId: row.id, amountFen: owed(row) }),
      receipt: receiptLines,
      load: withOwed,
      hidden: (row) => row.state !== 'IN_LOT',
    },
    {
      name: 'wallet',
      label: 'booth.wallet',
      perm: 'cash.collect',
      document: PaymentPayFromWalletDocument,
      confirm: 'booth.walletConfirm',
      confirmDetail: (row) => `${String(row.plate)} ¥${yuan(owed(row))}`,
      // One key per stay and amount: a second click or a retry after a lost answer debits nothing more.
      variables: (row) => ({ requestKey: `booth-${String(row.id)}-${owed(row)}`, sessionId: row.id }),
      receipt: receiptLines,
      load: withOwed,
      hidden: (row) => row.state !== 'IN_LOT',
    },
  ],
}

/** Roles as a list page (its form's permission tree is PermissionTree.vue). */
export const managementResources: Record<string, Resource> = {
  roles: {
    title: 'nav.roles',
    document: RolesDocument,
    page: (data) => data.roles as Page,
    hasFilter: false,
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'description', label: 'manage.description' },
      { key: 'scopeLevel', label: 'field.scope', value: (r) => enumLabel('scope')(String(r.scopeLevel ?? '')) },
      { key: 'permissions', label: 'catalogue.permissions', value: (r) => (r.permissions as string[]).length },
    ],
  },
}

/** A coordinate typed in a form, or null when left blank (a lot without one is named under the map). */
export function coordinate(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** The lot drawer's edit form: name, address, capacity and the coordinates that put it on the map. */
export const lotEdit: FormSpec = {
  title: 'catalogue.edit',
  perm: 'lots.manage',
  document: LotUpdateDocument,
  fields: [
    { name: 'name', label: 'common.name', kind: 'text', required: true },
    { name: 'address', label: 'lot.address', kind: 'text' },
    { name: 'region', label: 'lot.region', kind: 'text' },
    { name: 'capacity', label: 'lot.capacity', kind: 'number', min: 1, required: true },
    { name: 'latitude', label: 'manage.latitude', kind: 'coordinate', min: -90, max: 90 },
    { name: 'longitude', label: 'manage.longitude', kind: 'coordinate', min: -180, max: 180 },
    { name: 'isActive', label: 'catalogue.active', kind: 'switch' },
  ],
  initial: (row) => ({
    name: row?.name,
    address: row?.address ?? '',
    region: row?.region ?? '',
    capacity: row?.capacity,
    latitude: row?.latitude ?? null,
    longitude: row?.longitude ?? null,
    isActive: row?.isActive,
  }),
  check: (v) => ((coordinate(v.latitude) === null) !== (coordinate(v.longitude) === null) ? 'manage.bothCoordinates' : null),
  variables: (v, row) => ({
    id: row?.id,
    input: {
      name: text(v.name),
      address: text(v.address),
      region: text(v.region),
      capacity: Number(v.capacity),
      latitude: coordinate(v.latitude),
      longitude: coordinate(v.longitude),
      isActive: Boolean(v.isActive),
    },
  }),
}

export const areaEdit: FormSpec = {
  title: 'catalogue.edit',
  perm: 'lots.manage',
  document: AreaUpdateDocument,
  fields: [
    { name: 'name', label: 'common.name', kind: 'text', required: true },
    { name: 'capacity', label: 'lot.capacity', kind: 'number', min: 0, required: true },
  ],
  initial: (row) => ({ name: row?.name, capacity: row?.capacity }),
  variables: (v, row) => ({ id: row?.id, input: { name: text(v.name), capacity: Number(v.capacity) } }),
}

export { LotDeleteDocument }

/** A batch of one-time VIP codes (贵宾码) of a merchant, each holding one coupon taken off its stock now. */
export const vipBatch: FormSpec = {
  title: 'manage.vipBatch',
  perm: 'merchants.manage',
  document: VipCodesCreateDocument,
  fields: [
    { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
    { name: 'merchantId', label: 'nav.merchants', kind: 'merchant', required: true },
    { name: 'templateId', label: 'nav.couponTemplates', kind: 'template', required: true },
    { name: 'count', label: 'manage.vipCount', kind: 'number', min: 1, max: 500, required: true },
    { name: 'expiresAt', label: 'manage.vipExpires', kind: 'datetime', required: true },
    { name: 'label', label: 'code.label', kind: 'text' },
  ],
  initial: () => ({ count: 10, expiresAt: new Date(Date.now() + 30 * 86_400_000) }),
  variables: (v) => ({
    input: {
      merchantId: v.merchantId,
      templateId: v.templateId,
      count: Number(v.count),
      expiresAt: isoOrNull(v.expiresAt),
      label: text(v.label),
    },
  }),
}
