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
import { paymentResources } from './paymentResources'
import { catalogueResources } from './catalogue'

const page = (key: string) => (data: Record<string, unknown>) => data[key] as Page
const name = (v: unknown) => ((v as { name?: string } | null)?.name ?? '') as string
const onOff = (row: Row) => (row.isActive ? 'success' : 'info')

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
const statusTag = (key: string) => (row: Row) => STATUS_TAG[String(row[key])] ?? 'info'

export const resources: Record<string, Resource> = {
  agents: {
    title: 'nav.agents',
    document: AgentsDocument,
    page: page('agents'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'contactName', label: 'Contact' },
      { key: 'phone', label: 'Phone' },
      { key: 'isActive', label: 'common.status', tag: onOff },
      { key: 'createdAt', label: 'Created', value: (r) => when(r.createdAt as string) },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
    create: {
      title: 'common.create',
      perm: 'agents.manage',
      document: AgentCreateDocument,
      fields: [
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'contactName', label: 'Contact', kind: 'text' },
        { name: 'phone', label: 'Phone', kind: 'text' },
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
      { key: 'contactName', label: 'Contact' },
      { key: 'phone', label: 'Phone' },
      { key: 'isActive', label: 'common.status', tag: onOff },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
    create: {
      title: 'common.create',
      perm: 'customers.manage',
      document: CustomerCreateDocument,
      fields: [
        { name: 'agentId', label: 'nav.agents', kind: 'agent', required: true },
        { name: 'name', label: 'common.name', kind: 'text', required: true },
        { name: 'contactName', label: 'Contact', kind: 'text' },
        { name: 'phone', label: 'Phone', kind: 'text' },
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
      { key: 'direction', label: 'lane.direction' },
      { key: 'mode', label: 'lane.mode' },
      { key: 'isActive', label: 'common.status', tag: onOff },
      { key: 'qrToken', label: 'lane.qr' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'direction', label: 'lane.direction', kind: 'select', options: ['ENTRY', 'EXIT'] },
    ],
  },
  devices: {
    title: 'nav.devices',
    document: DevicesDocument,
    page: page('devices'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'kind', label: 'Kind' },
      { key: 'status', label: 'common.status', tag: statusTag('status') },
      { key: 'lane', label: 'nav.lanes', value: (r) => name(r.lane) },
      { key: 'model', label: 'Model' },
      { key: 'serial', label: 'Serial' },
      { key: 'ip', label: 'IP' },
      { key: 'lastSeenAt', label: 'Last seen', value: (r) => when(r.lastSeenAt as string) },
      { key: 'errorCount', label: 'Errors' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      {
        name: 'kind',
        label: 'Kind',
        kind: 'select',
        options: ['CONTROLLER', 'CAMERA', 'DISPLAY', 'KIOSK', 'BOOTH_TERMINAL', 'INTERCOM'],
      },
      { name: 'status', label: 'common.status', kind: 'select', options: ['ONLINE', 'OFFLINE', 'RETRYING', 'UNKNOWN'] },
    ],
  },
  owners: {
    title: 'nav.owners',
    document: OwnersDocument,
    page: page('owners'),
    columns: [
      { key: 'name', label: 'common.name' },
      { key: 'phone', label: 'Phone' },
      { key: 'vehicles', label: 'nav.vehicles', value: (r) => (r.vehicles as { plate: string }[]).map((v) => v.plate).join(' ') },
      { key: 'wallet', label: 'Wallet (yuan)', value: (r) => yuan((r.wallet as { balanceFen: number } | null)?.balanceFen ?? 0) },
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
      { key: 'plate', label: 'Plate' },
      { key: 'plateColor', label: 'Colour' },
      { key: 'vehicleClass', label: 'tariff.vehicleClass' },
      { key: 'owner', label: 'nav.owners', value: (r) => name(r.owner) },
      { key: 'group', label: 'Group', value: (r) => name(r.group) },
      { key: 'note', label: 'Note' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'Plate', kind: 'text' },
    ],
  },
  passes: {
    title: 'nav.passes',
    document: PassesDocument,
    page: page('passes'),
    columns: [
      { key: 'vehicle', label: 'Plate', value: (r) => (r.vehicle as { plate: string } | null)?.plate ?? name(r.group) },
      { key: 'product', label: 'Product', value: (r) => name(r.product) },
      { key: 'status', label: 'common.status', tag: statusTag('status') },
      { key: 'startsAt', label: 'Starts', value: (r) => when(r.startsAt as string) },
      { key: 'endsAt', label: 'Ends', value: (r) => when(r.endsAt as string) },
      {
        key: 'renewals',
        label: 'Renewals',
        value: (r) =>
          (r.renewals as { at: string; amountFen: number }[]).map((x) => `${when(x.at)} ¥${yuan(x.amountFen)}`).join('; '),
      },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', options: ['ACTIVE', 'SUSPENDED', 'CANCELLED'] },
    ],
  },
  sessions: {
    title: 'nav.sessions',
    document: SessionsDocument,
    page: page('parkingSessions'),
    columns: [
      { key: 'plate', label: 'Plate' },
      { key: 'state', label: 'common.status', tag: statusTag('state') },
      { key: 'category', label: 'Category' },
      { key: 'entryAt', label: 'tariff.entryAt', value: (r) => when(r.entryAt as string) },
      { key: 'exitAt', label: 'tariff.exitAt', value: (r) => when(r.exitAt as string) },
      { key: 'feeDueFen', label: 'Due (yuan)', value: (r) => yuan(r.feeDueFen as number) },
      { key: 'paidFen', label: 'Paid (yuan)', value: (r) => yuan(r.paidFen as number) },
      { key: 'releaseMethod', label: 'Release' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'Plate', kind: 'text' },
      { name: 'state', label: 'common.status', kind: 'select', options: ['IN_LOT', 'EXITED', 'ABNORMAL'] },
      { name: 'entry', label: 'tariff.entryAt', kind: 'datetimerange', range: ['entryFrom', 'entryTo'] },
    ],
  },
  laneEvents: {
    title: 'nav.laneEvents',
    document: LaneEventsDocument,
    page: page('laneEvents'),
    columns: [
      { key: 'at', label: 'Time', value: (r) => when(r.at as string) },
      { key: 'plate', label: 'Plate' },
      { key: 'kind', label: 'Kind' },
      { key: 'laneId', label: 'nav.lanes' },
      { key: 'confidence', label: 'Confidence', value: (r) => (r.confidence as number).toFixed(2) },
      { key: 'source', label: 'Source' },
      { key: 'opened', label: 'Opened', tag: (r) => (r.opened ? 'success' : 'warning') },
      { key: 'decisionReason', label: 'Reason' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'plate', label: 'Plate', kind: 'text' },
      { name: 'kind', label: 'Kind', kind: 'select', options: ['ENTRY', 'EXIT', 'INNER_ENTRY', 'INNER_EXIT'] },
      { name: 'at', label: 'Time', kind: 'datetimerange', range: ['atFrom', 'atTo'] },
    ],
  },
  gateCommands: {
    title: 'nav.gateCommands',
    document: GateCommandsDocument,
    page: page('gateCommands'),
    columns: [
      { key: 'issuedAt', label: 'Time', value: (r) => when(r.issuedAt as string) },
      { key: 'laneId', label: 'nav.lanes' },
      { key: 'kind', label: 'Kind' },
      { key: 'status', label: 'common.status', tag: statusTag('status') },
      { key: 'reason', label: 'console.reason' },
      { key: 'result', label: 'Result' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      {
        name: 'status',
        label: 'common.status',
        kind: 'select',
        options: ['PENDING', 'SENT', 'DONE', 'FAILED', 'EXPIRED'],
      },
      { name: 'issued', label: 'Time', kind: 'datetimerange', range: ['issuedFrom', 'issuedTo'] },
    ],
  },
  alarms: {
    title: 'nav.alarms',
    document: AlarmsDocument,
    page: page('alarms'),
    columns: [
      { key: 'raisedAt', label: 'Time', value: (r) => when(r.raisedAt as string) },
      { key: 'kind', label: 'Kind' },
      { key: 'severity', label: 'Severity' },
      { key: 'status', label: 'common.status', tag: statusTag('status') },
      { key: 'plate', label: 'Plate' },
      { key: 'message', label: 'Message' },
      { key: 'resolution', label: 'Resolution' },
    ],
    filters: [
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'status', label: 'common.status', kind: 'select', options: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] },
      { name: 'severity', label: 'Severity', kind: 'select', options: ['INFO', 'WARNING', 'CRITICAL'] },
      { name: 'raised', label: 'Time', kind: 'datetimerange', range: ['raisedFrom', 'raisedTo'] },
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
      { key: 'scopeLevel', label: 'Scope' },
      { key: 'lots', label: 'nav.lots', value: (r) => (r.lots as { name: string }[]).map((l) => l.name).join(', ') },
      { key: 'isActive', label: 'common.status', tag: onOff },
      { key: 'lastLoginAt', label: 'Last login', value: (r) => when(r.lastLoginAt as string) },
    ],
    filters: [{ name: 'search', label: 'common.search', kind: 'text' }],
  },
  audit: {
    title: 'nav.audit',
    document: AuditDocument,
    page: page('auditLog'),
    columns: [
      { key: 'at', label: 'Time', value: (r) => when(r.at as string) },
      { key: 'actorName', label: 'Operator' },
      { key: 'action', label: 'Action' },
      { key: 'entity', label: 'Entity' },
      { key: 'entityId', label: 'ID' },
      { key: 'ip', label: 'IP' },
    ],
    filters: [
      { name: 'action', label: 'Action', kind: 'text' },
      { name: 'entity', label: 'Entity', kind: 'text' },
      { name: 'lotId', label: 'common.lot', kind: 'lot' },
      { name: 'period', label: 'Time', kind: 'datetimerange', range: ['since', 'until'] },
    ],
  },
  ...paymentResources,
  // Catalogue and settings pages (views/catalogue.ts), drawn by CatalogueView with their forms.
  ...catalogueResources,
}
export type { Row }
