// Pages, the permission each needs and the menu group it sits in; the menu hides what `me` cannot see.
import type { RouteRecordRaw } from 'vue-router'

export interface PageMeta {
  title: string
  perm?: string
  group?: string
  public?: boolean
  hidden?: boolean
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/LoginView.vue'), meta: { title: 'login.title', public: true } },
  {
    path: '/no-access',
    component: () => import('./views/NoAccessView.vue'),
    meta: { title: 'common.noAccess', hidden: true },
  },
  { path: '/', component: () => import('./views/HomeView.vue'), meta: { title: 'nav.home', perm: 'dashboard.view' } },
  {
    path: '/map',
    component: () => import('./views/MapView.vue'),
    meta: { title: 'nav.map', perm: 'lots.view' },
  },
  {
    path: '/console',
    component: () => import('./views/ConsoleView.vue'),
    meta: { title: 'nav.console', perm: 'alarms.view' },
  },
  {
    path: '/agents',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'agents' },
    meta: { title: 'nav.agents', perm: 'agents.view', group: 'tenancy' },
  },
  {
    path: '/customers',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'customers' },
    meta: { title: 'nav.customers', perm: 'customers.view', group: 'tenancy' },
  },
  {
    path: '/lots',
    component: () => import('./views/LotsView.vue'),
    meta: { title: 'nav.lots', perm: 'lots.view', group: 'tenancy' },
  },
  {
    path: '/lanes',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'lanes' },
    meta: { title: 'nav.lanes', perm: 'lots.view', group: 'tenancy' },
  },
  {
    path: '/devices',
    component: () => import('./views/DevicesView.vue'),
    meta: { title: 'nav.devices', perm: 'devices.view', group: 'tenancy' },
  },
  {
    path: '/faults',
    component: () => import('./views/FaultTicketsView.vue'),
    meta: { title: 'nav.faults', perm: 'faults.manage', group: 'tenancy' },
  },
  {
    path: '/tariffs',
    component: () => import('./views/TariffsView.vue'),
    meta: { title: 'nav.tariffs', perm: 'tariffs.view', group: 'tenancy' },
  },
  {
    path: '/owners',
    component: () => import('./views/OwnersView.vue'),
    meta: { title: 'nav.owners', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/vehicles',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'vehicles' },
    meta: { title: 'nav.vehicles', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/passes',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'passes' },
    meta: { title: 'nav.passes', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/payments/orders',
    component: () => import('./views/PaymentOrdersView.vue'),
    meta: { title: 'nav.paymentOrders', perm: 'finance.view', group: 'payments' },
  },
  {
    path: '/payments/refunds',
    component: () => import('./views/RefundsView.vue'),
    meta: { title: 'nav.refunds', perm: 'finance.view', group: 'payments' },
  },
  {
    path: '/payments/settlement',
    component: () => import('./views/SettlementView.vue'),
    meta: { title: 'nav.settlement', perm: 'finance.view', group: 'payments' },
  },
  {
    path: '/payments/reconciliation',
    component: () => import('./views/ReconciliationView.vue'),
    meta: { title: 'nav.reconciliation', perm: 'finance.view', group: 'payments' },
  },
  {
    path: '/payments/invoices',
    component: () => import('./views/InvoicesView.vue'),
    meta: { title: 'nav.invoices', perm: 'finance.view', group: 'payments' },
  },
  {
    path: '/records/sessions',
    component: () => import('./views/SessionsView.vue'),
    meta: { title: 'nav.sessions', perm: 'records.view', group: 'records' },
  },
  {
    path: '/records/lane-events',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'laneEvents' },
    meta: { title: 'nav.laneEvents', perm: 'records.view', group: 'records' },
  },
  {
    path: '/records/gate-commands',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'gateCommands' },
    meta: { title: 'nav.gateCommands', perm: 'records.view', group: 'records' },
  },
  {
    path: '/records/alarms',
    component: () => import('./views/AlarmsView.vue'),
    meta: { title: 'nav.alarms', perm: 'alarms.view', group: 'records' },
  },
  // 报表 (views/reports): traffic needs records.view, money finance.view, as the API's report queries and downloads.
  {
    path: '/reports/flow',
    component: () => import('./views/reports/FlowReportView.vue'),
    meta: { title: 'nav.reportFlow', perm: 'records.view', group: 'reports' },
  },
  {
    path: '/reports/peak-hours',
    component: () => import('./views/reports/PeakHoursReportView.vue'),
    meta: { title: 'nav.reportPeakHours', perm: 'records.view', group: 'reports' },
  },
  {
    path: '/reports/channels',
    component: () => import('./views/reports/FeeReportView.vue'),
    props: { name: 'channels' },
    meta: { title: 'nav.reportChannels', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/kinds',
    component: () => import('./views/reports/FeeReportView.vue'),
    props: { name: 'kinds' },
    meta: { title: 'nav.reportKinds', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/daily',
    component: () => import('./views/reports/DailyReportView.vue'),
    meta: { title: 'nav.reportDaily', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/fee-details',
    component: () => import('./views/reports/FeeDetailReportView.vue'),
    meta: { title: 'nav.reportFeeDetails', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/renewals',
    component: () => import('./views/reports/RenewalDetailReportView.vue'),
    meta: { title: 'nav.reportRenewals', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/invoices',
    component: () => import('./views/reports/InvoiceDetailReportView.vue'),
    meta: { title: 'nav.reportInvoices', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/reports/shifts',
    component: () => import('./views/reports/ShiftReportView.vue'),
    meta: { title: 'nav.reportShifts', perm: 'finance.view', group: 'reports' },
  },
  {
    path: '/recognition/corrections',
    component: () => import('./views/CorrectionsView.vue'),
    meta: { title: 'nav.corrections', perm: 'sessions.correct', group: 'recognition' },
  },
  {
    path: '/operators',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'operators' },
    meta: { title: 'nav.operators', perm: 'operators.view', group: 'settings' },
  },
  {
    path: '/roles',
    component: () => import('./views/CatalogueView.vue'),
    props: { name: 'roles' },
    meta: { title: 'nav.roles', perm: 'operators.view', group: 'settings' },
  },
  {
    path: '/audit',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'audit' },
    meta: { title: 'nav.audit', perm: 'audit.view', group: 'settings' },
  },
  // The lot's side of merchants and coupons (views/merchantPages.ts, MerchantsView, ParkingCodesView, MerchantStatsView).
  {
    path: '/merchants',
    component: () => import('./views/MerchantsView.vue'),
    props: { name: 'merchants' },
    meta: { title: 'nav.merchants', perm: 'merchants.manage', group: 'merchants' },
  },
  ...(['couponTemplates', 'coupons'] as const).map((name) => ({
    path: name === 'coupons' ? '/merchants/coupons' : '/merchants/templates',
    component: () => import('./views/CatalogueView.vue'),
    props: { name },
    meta: { title: `nav.${name}`, perm: 'merchants.manage', group: 'merchants' },
  })),
  {
    path: '/merchants/codes',
    component: () => import('./views/ParkingCodesView.vue'),
    props: { name: 'parkingCodes' },
    meta: { title: 'nav.parkingCodes', perm: 'merchants.manage', group: 'merchants' },
  },
  {
    path: '/merchants/stats',
    component: () => import('./views/MerchantStatsView.vue'),
    meta: { title: 'nav.merchantStats', perm: 'merchants.manage', group: 'merchants' },
  },
  // Catalogue and settings pages (views/catalogue.ts): each needs the permission its list query requires.
  ...[
    { path: '/owners/lists', name: 'listEntries', title: 'nav.listEntries', perm: 'owners.view', group: 'owners' },
    { path: '/owners/groups', name: 'vehicleGroups', title: 'nav.vehicleGroups', perm: 'owners.view', group: 'owners' },
    { path: '/passes/products', name: 'passProducts', title: 'nav.passProducts', perm: 'owners.view', group: 'owners' },
    { path: '/api-keys', name: 'apiKeys', title: 'nav.apiKeys', perm: 'api_keys.manage', group: 'settings' },
  ].map(({ path, name, title, perm, group }) => ({
    path,
    component: () => import('./views/CatalogueView.vue'),
    props: { name },
    meta: { title, perm, group },
  })),
]

export interface MenuItem {
  path: string
  title: string
}
export interface MenuGroup {
  group: string | null
  items: MenuItem[]
}

/** Menu entries the operator may open, grouped in route order; groups with nothing visible are dropped. */
export function menuFor(permissions: readonly string[]): MenuGroup[] {
  const groups: MenuGroup[] = []
  for (const route of routes) {
    const meta = route.meta as unknown as PageMeta
    if (meta.public || meta.hidden) continue
    if (meta.perm && !permissions.includes(meta.perm)) continue
    const group = meta.group ?? null
    let entry = groups.find((g) => g.group === group)
    if (!entry) groups.push((entry = { group, items: [] }))
    entry.items.push({ path: route.path, title: meta.title })
  }
  return groups
}
