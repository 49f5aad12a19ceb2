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
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'agents' },
    meta: { title: 'nav.agents', perm: 'agents.view', group: 'tenancy' },
  },
  {
    path: '/customers',
    component: () => import('./views/ResourceView.vue'),
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
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'lanes' },
    meta: { title: 'nav.lanes', perm: 'lots.view', group: 'tenancy' },
  },
  {
    path: '/devices',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'devices' },
    meta: { title: 'nav.devices', perm: 'devices.view', group: 'tenancy' },
  },
  {
    path: '/tariffs',
    component: () => import('./views/TariffsView.vue'),
    meta: { title: 'nav.tariffs', perm: 'tariffs.view', group: 'tenancy' },
  },
  {
    path: '/owners',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'owners' },
    meta: { title: 'nav.owners', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/vehicles',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'vehicles' },
    meta: { title: 'nav.vehicles', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/passes',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'passes' },
    meta: { title: 'nav.passes', perm: 'owners.view', group: 'owners' },
  },
  {
    path: '/records/sessions',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'sessions' },
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
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'alarms' },
    meta: { title: 'nav.alarms', perm: 'alarms.view', group: 'records' },
  },
  {
    path: '/operators',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'operators' },
    meta: { title: 'nav.operators', perm: 'operators.view', group: 'settings' },
  },
  {
    path: '/roles',
    component: () => import('./views/RolesView.vue'),
    meta: { title: 'nav.roles', perm: 'operators.view', group: 'settings' },
  },
  {
    path: '/audit',
    component: () => import('./views/ResourceView.vue'),
    props: { name: 'audit' },
    meta: { title: 'nav.audit', perm: 'audit.view', group: 'settings' },
  },
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
