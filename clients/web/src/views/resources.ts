// The list pages that are a table, filters, CSV export and (some) a create form.
import {
  AgentCreateDocument,
  AgentsDocument,
  AlarmsDocument,
  AuditDocument,
  CustomerCreateDocument,
  CustomersDocument,
  DevicesDocument,
  GateCommandsDocument,
  LaneEventsDocument,
  LanesDocument,
  OperatorsDocument,
  OwnersDocument,
  PassesDocument,
  SessionsDocument,
  VehiclesDocument,
} from '../graphql/operations'
import type { Page, Resource, Row } from '../components/resource'
import { when, yuan } from '../lib/format'
import { lotName } from '../stores/lotNames'
import { t } from '../i18n'
import { paymentResources } from './paymentResources'
import { catalogueResources } from './catalogue'
import { auditAction } from '../lib/enums'
import { managementResources } from './managementPages'

const page = (key: string) => (data: Record<string, unknown>) => data[key] as Page
const name = (v: unknown) => ((v as { name?: string } | null)?.name ?? '') as string
const onOff = (row: Row) => (row.isActive ? 'success' : 'info')
const active = (row: Row) => t(row.isActive ? 'catalogue.active' : 'catalogue.inactive')

const STATUS_TAG: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  ONLINE: 'success',
  OFFLINE: 'danger',
  RETRYING: 'warning',
  UNKNOWN: 'info',
  OPEN: 'danger',
  ACKNOWLEDGED: 'warning',
  RESOLVED: 'success',
  DONE: 'success',
  FAILED: 'danger',
  PENDING: 'warning',
  SENT: 'warning',
  EXPIRED: 'info',
  ACTIVE: 'success',
  SUSPENDED: 'warning',
  CANCELLED: 'info',
  IN_LOT: 'primary' as 'info',
  EXITED: 'success',
  ABNORMAL: 'danger',
}
// A stay's entry and exit pictures and its plate crop, in that order (an empty ref shows "no picture").
const stayPictures = (r: Row) => [
  { ref: String(r.entryImageRef ?? ''), alt: t('records.entryPicture') },
  { ref: String(r.exitImageRef ?? ''), alt: t('records.exitPicture') },
  { ref: String(r.plateCropRef ?? ''), alt: t('records.plateCrop') },
]
const statusTag = (key: string) => (row: Row) => STATUS_TAG[String(row[key])] ?? 'info'

export const resources: Record<string, Resource> = {
  agents: {
    title: 'nav.agents',
    document: AgentsDocument,
    page: page('agents'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'contactName', label: 'field.contact' },
      { key: 'phone', label: 'field.phone' },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
      { key: 'createdAt', label: 'field.created', value: (r) => when(r.createdAt as string) },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
    create: {
      title: 'common.create',
      perm: 'agents.manage',
      document: AgentCreateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'contactName', label: 'field.contact', kind: 'text' },
        { name: 'phone', label: 'field.phone', kind: 'text' },
      ],
      variables: (v) => ({ input: { name: v.name, contactName: v.contactName || null, phone: v.phone ?? '' } }),
    },
  },
  customers: {
    title: 'nav.customers',
    document: CustomersDocument,
    page: page('customers'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'agent', label: 'nav.agents', value: (r) => name(r.agent) },
      { key: 'contactName', label: 'field.contact' },
      { key: 'phone', label: 'field.phone' },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
    create: {
      title: 'common.create',
      perm: 'customers.manage',
      document: CustomerCreateDocument,
      fields: [
        { name: 'agentId', label: 'nav.agents', kind: 'agent', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'contactName', label: 'field.contact', kind: 'text' },
        { name: 'phone', label: 'field.phone', kind: 'text' },
      ],
      variables: (v) => ({
        input: { agentId: v.agentId, name: v.name, contactName: v.contactName || null, phone: v.phone ?? '' },
      }),
    },
  },
  lanes: {
    title: 'nav.lanes',
    document: LanesDocument,
    page: page('lanes'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'lot', label: 'common.lot', value: (r) => name(r.lot) },
      { key: 'area', label: 'lot.areas', value: (r) => name(r.area) },
      { key: 'direction', label: 'lane.direction', enum: 'LaneDirection' },
      { key: 'mode', label: 'lane.mode', enum: 'LaneMode' },
      { key: 'booth', label: 'lane.booth' },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
      { key: 'qrToken', label: 'lane.qr' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'direction', label: 'lane.direction', kind: 'select', enum: 'LaneDirection' },
    ],
  },
  devices: {
    title: 'nav.devices',
    document: DevicesDocument,
    page: page('devices'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'kind', label: 'field.kind', enum: 'DeviceKind' },
      { key: 'status', label: 'common.status', enum: 'DeviceStatus', tag: statusTag('status') },
      { key: 'lotId', label: 'common.lot', value: (r) => lotName(r.lotId) },
      { key: 'lane', label: 'nav.lanes', value: (r) => name(r.lane) },
      { key: 'model', label: 'field.model' },
      { key: 'serial', label: 'field.serial' },
      { key: 'ip', label: 'field.ip' },
      { key: 'lastSeenAt', label: 'field.lastSeen', value: (r) => when(r.lastSeenAt as string) },
      { key: 'errorCount', label: 'field.errors' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'kind', label: 'field.kind', kind: 'select', enum: 'DeviceKind' },
      {
        name: 'status',
        label: 'common.status',
        kind: 'select',
        enum: 'DeviceStatus',
        options: ['ONLINE', 'OFFLINE', 'RETRYING', 'UNKNOWN'],
      },
    ],
  },
  owners: {
    title: 'nav.owners',
    document: OwnersDocument,
    page: page('owners'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'phone', label: 'field.phone' },
      { key: 'vehicles', label: 'nav.vehicles', value: (r) => (r.vehicles as { plate: string }[]).map((v) => v.plate).join(' ') },
      { key: 'wallet', label: 'field.wallet', value: (r) => yuan((r.wallet as { balanceFen: number } | null)?.balanceFen ?? 0) },
      { key: 'address', label: 'lot.address' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'search', label: 'common.search', kind: 'text' },
    ],
  },
  vehicles: {
    title: 'nav.vehicles',
    document: VehiclesDocument,
    page: page('vehicles'),
    columns: [
      { key: 'plate', label: 'field.plate' },
      { key: 'plateColor', label: 'field.colour', enum: 'PlateColor' },
      { key: 'vehicleClass', label: 'tariff.vehicleClass', enum: 'VehicleClass' },
      { key: 'owner', label: 'nav.owners', value: (r) => name(r.owner) },
      { key: 'group', label: 'field.group', value: (r) => name(r.group) },
      { key: 'note', label: 'field.note' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'field.plate', kind: 'text' },
    ],
  },
  passes: {
    title: 'nav.passes',
    document: PassesDocument,
    page: page('passes'),
    columns: [
      { key: 'vehicle', label: 'field.plate', value: (r) => (r.vehicle as { plate: string } | null)?.plate ?? name(r.group) },
      { key: 'product', label: 'field.product', value: (r) => name(r.product) },
      { key: 'status', label: 'common.status', enum: 'PassStatus', tag: statusTag('status') },
      { key: 'startsAt', label: 'field.starts', value: (r) => when(r.startsAt as string) },
      { key: 'endsAt', label: 'field.ends', value: (r) => when(r.endsAt as string) },
      {
        key: 'renewals',
        label: 'field.renewals',
        value: (r) =>
          (r.renewals as { at: string; amountFen: number }[]).map((x) => `${when(x.at)} ¥${yuan(x.amountFen)}`).join('; '),
      },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', enum: 'PassStatus' },
    ],
  },
  sessions: {
    title: 'nav.sessions',
    document: SessionsDocument,
    page: page('parkingSessions'),
    columns: [
      {
        key: 'pictures',
        label: 'records.pictures',
        width: 220,
        images: stayPictures,
        value: (r) => stayPictures(r).map((p) => p.ref).filter(Boolean).join(' '),
      },
      { key: 'plate', label: 'field.plate' },
      { key: 'lot', label: 'common.lot', value: (r) => name(r.lot) },
      { key: 'entryLane', label: 'records.entryLane', value: (r) => name(r.entryLane) },
      { key: 'exitLane', label: 'records.exitLane', value: (r) => name(r.exitLane) },
      { key: 'state', label: 'common.status', enum: 'SessionState', tag: statusTag('state') },
      { key: 'category', label: 'field.category', enum: 'VehicleCategory' },
      { key: 'entryAt', label: 'tariff.entryAt', value: (r) => when(r.entryAt as string) },
      { key: 'exitAt', label: 'tariff.exitAt', value: (r) => when(r.exitAt as string) },
      { key: 'feeDueFen', label: 'field.due', value: (r) => yuan(r.feeDueFen as number) },
      { key: 'paidFen', label: 'field.paid', value: (r) => yuan(r.paidFen as number) },
      { key: 'releaseMethod', label: 'field.release', enum: 'ReleaseMethod' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'field.plate', kind: 'text' },
      { name: 'state', label: 'common.status', kind: 'select', enum: 'SessionState' },
      { name: 'entry', label: 'tariff.entryAt', kind: 'datetimerange', range: ['entryFrom', 'entryTo'] },
    ],
  },
  laneEvents: {
    title: 'nav.laneEvents',
    document: LaneEventsDocument,
    page: page('laneEvents'),
    columns: [
      { key: 'at', label: 'field.time', value: (r) => when(r.at as string) },
      { key: 'plate', label: 'field.plate' },
      { key: 'kind', label: 'field.kind', enum: 'EventKind' },
      { key: 'laneId', label: 'nav.lanes' },
      { key: 'confidence', label: 'field.confidence', value: (r) => (r.confidence as number).toFixed(2) },
      { key: 'source', label: 'field.source', enum: 'ReadingSource' },
      {
        key: 'opened',
        label: 'field.opened',
        value: (r) => t(r.opened ? 'common.yes' : 'common.no'),
        tag: (r) => (r.opened ? 'success' : 'warning'),
      },
      { key: 'decisionReason', label: 'field.reason', enum: 'DecisionReason' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'field.plate', kind: 'text' },
      { name: 'kind', label: 'field.kind', kind: 'select', enum: 'EventKind' },
      { name: 'at', label: 'field.time', kind: 'datetimerange', range: ['atFrom', 'atTo'] },
    ],
  },
  gateCommands: {
    title: 'nav.gateCommands',
    document: GateCommandsDocument,
    page: page('gateCommands'),
    columns: [
      { key: 'issuedAt', label: 'field.time', value: (r) => when(r.issuedAt as string) },
      { key: 'laneId', label: 'nav.lanes' },
      { key: 'kind', label: 'field.kind', enum: 'GateCommandKind' },
      { key: 'status', label: 'common.status', enum: 'GateCommandStatus', tag: statusTag('status') },
      { key: 'reason', label: 'console.reason' },
      { key: 'result', label: 'field.result' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', enum: 'GateCommandStatus' },
      { name: 'issued', label: 'field.time', kind: 'datetimerange', range: ['issuedFrom', 'issuedTo'] },
    ],
  },
  alarms: {
    title: 'nav.alarms',
    document: AlarmsDocument,
    page: page('alarms'),
    columns: [
      { key: 'raisedAt', label: 'field.time', value: (r) => when(r.raisedAt as string) },
      { key: 'kind', label: 'field.kind', enum: 'AlarmKind' },
      { key: 'severity', label: 'field.severity', enum: 'AlarmSeverity' },
      { key: 'status', label: 'common.status', enum: 'AlarmStatus', tag: statusTag('status') },
      { key: 'plate', label: 'field.plate' },
      { key: 'message', label: 'field.message' },
      { key: 'resolution', label: 'field.resolution' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', enum: 'AlarmStatus' },
      { name: 'severity', label: 'field.severity', kind: 'select', enum: 'AlarmSeverity' },
      { name: 'raised', label: 'field.time', kind: 'datetimerange', range: ['raisedFrom', 'raisedTo'] },
    ],
  },
  operators: {
    title: 'nav.operators',
    document: OperatorsDocument,
    page: page('operators'),
    columns: [
      { key: 'username', label: 'login.username' },
      { key: 'displayName', label: 'common.name' },
      { key: 'role', label: 'nav.roles', value: (r) => name(r.role) },
      { key: 'scopeLevel', label: 'field.scope', enum: 'ScopeLevel' },
      { key: 'lots', label: 'nav.lots', value: (r) => (r.lots as { name: string }[]).map((l) => l.name).join(', ') },
      { key: 'isActive', label: 'common.status', value: active, tag: onOff },
      { key: 'lastLoginAt', label: 'field.lastLogin', value: (r) => when(r.lastLoginAt as string) },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
  },
  audit: {
    title: 'nav.audit',
    document: AuditDocument,
    page: page('auditLog'),
    columns: [
      { key: 'at', label: 'field.time', value: (r) => when(r.at as string) },
      { key: 'actorName', label: 'field.operator' },
      { key: 'action', label: 'field.action', value: (r) => auditAction(String(r.action)) },
      { key: 'entity', label: 'field.entity', enum: 'AuditEntity' },
      { key: 'entityId', label: 'field.id' },
      { key: 'ip', label: 'field.ip' },
    ],
    filters: [
      { name: 'action', label: 'field.action', kind: 'text' },
      { name: 'entity', label: 'field.entity', kind: 'text' },
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'period', label: 'field.time', kind: 'datetimerange', range: ['since', 'until'] },
    ],
  },
  ...paymentResources,
  // Catalogue and settings pages (views/catalogue.ts), drawn by CatalogueView with their forms.
  ...catalogueResources,
  // Roles with their permission tree (views/managementPages.ts).
  ...managementResources,
}
export type { Row }
