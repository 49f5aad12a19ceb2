// The field-technician lists: fault tickets and pushes refused from unknown devices. Names of lots, devices
// and operators come from `names` (filled by the page), so a row shows "Lot A1a" rather than an id.
import { reactive } from 'vue'
import { FaultTicketCreateDocument, FaultTicketsDocument } from '../graphql/faults'
import { DeviceRefusalsDocument } from '../graphql/devices'
import type { Page, Resource, Row } from '../components/resource'
import { when } from '../lib/format'
import { t } from '../i18n'

export const FAULT_STATUSES = ['OPEN', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const

export const names = reactive({
  lots: new Map<string, string>(),
  devices: new Map<string, string>(),
  operators: new Map<string, string>(),
})

const FAULT_TAG: Record<string, 'danger' | 'warning' | 'primary' | 'success' | 'info'> = {
  OPEN: 'danger',
  ASSIGNED: 'warning',
  IN_PROGRESS: 'primary',
  RESOLVED: 'success',
  CLOSED: 'info',
}
const nameOf = (map: Map<string, string>, id: unknown) => (id ? (map.get(String(id)) ?? `#${String(id)}`) : '')

export const faultTickets: Resource = {
  title: 'nav.faults',
  document: FaultTicketsDocument,
  page: (data) => data.faultTickets as Page,
  columns: [
    { key: 'createdAt', label: 'faults.createdAt', value: (r) => when(r.createdAt as string), width: 150 },
    { key: 'title', label: 'faults.title', width: 180 },
    {
      key: 'status',
      label: 'common.status',
      value: (r) => t(`faults.status.${String(r.status)}`),
      tag: (r: Row) => FAULT_TAG[String(r.status)] ?? 'info',
    },
    { key: 'lotId', label: 'common.lot', value: (r) => nameOf(names.lots, r.lotId) },
    { key: 'deviceId', label: 'faults.device', value: (r) => nameOf(names.devices, r.deviceId) },
    { key: 'assigneeId', label: 'faults.assignee', value: (r) => nameOf(names.operators, r.assigneeId) },
    { key: 'resolution', label: 'faults.resolution', width: 160 },
    { key: 'resolvedAt', label: 'faults.resolvedAt', value: (r) => when(r.resolvedAt as string), width: 150 },
  ],
  filters: [
    { name: 'lotId', label: 'common.lot', kind: 'lot' },
    { name: 'deviceId', label: 'faults.device', kind: 'device' },
    {
      name: 'status',
      label: 'common.status',
      kind: 'select',
      options: FAULT_STATUSES,
      optionLabel: (s) => t(`faults.status.${s}`),
    },
  ],
  create: {
    title: 'common.create',
    perm: 'faults.manage',
    document: FaultTicketCreateDocument,
    fields: [
      { name: 'lotId', label: 'common.lot', kind: 'lot', required: true },
      { name: 'deviceId', label: 'faults.device', kind: 'device' },
      { name: 'title', label: 'faults.title', kind: 'text', required: true },
      { name: 'description', label: 'faults.description', kind: 'textarea' },
    ],
    variables: (v) => ({
      input: {
        lotId: v.lotId,
        deviceId: v.deviceId || null,
        title: v.title ?? '',
        description: v.description ?? '',
      },
    }),
  },
}

export const deviceRefusals: Resource = {
  title: 'devices.refusals',
  document: DeviceRefusalsDocument,
  page: (data) => data.deviceRefusals as Page,
  flatFilter: true,
  columns: [
    { key: 'at', label: 'devices.at', value: (r) => when(r.at as string), width: 150 },
    { key: 'serial', label: 'devices.serial' },
    { key: 'protocol', label: 'devices.protocol' },
    { key: 'ip', label: 'field.ip' },
    { key: 'reason', label: 'devices.refusalReason' },
    { key: 'detail', label: 'devices.detail', width: 200 },
  ],
  filters: [
    { name: 'serial', label: 'devices.serial', kind: 'text' },
    { name: 'at', label: 'devices.at', kind: 'datetimerange', range: ['atFrom', 'atTo'] },
  ],
}
