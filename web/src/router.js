// router.js — routes; every page but login is a lazy chunk.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadSession, hasRole } from './session.js'
import { setUnauthorizedHandler } from './api.js'
import Login from './views/Login.vue'

const routes = [
  { path: '/login', name: 'login', component: Login, meta: { public: true, bare: true } },
  { path: '/', redirect: '/my' },
  { path: '/my', name: 'my', component: () => import('./views/MyTasks.vue'), meta: { title: 'nav.my' } },
  { path: '/tasks', name: 'ledger', component: () => import('./views/Ledger.vue'), meta: { title: 'nav.ledger' } },
  { path: '/tasks/:id', name: 'task', component: () => import('./views/TaskDetail.vue'), meta: { title: 'nav.ledger' } },
  { path: '/ingest', name: 'ingest', component: () => import('./views/Ingest.vue'), meta: { title: 'nav.ingest', roles: ['admin', 'supervisor'] } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { title: 'nav.dashboard' } },
  { path: '/accountability', name: 'accountability', component: () => import('./views/Accountability.vue'), meta: { title: 'nav.accountability', roles: ['admin', 'supervisor', 'leader'] } },
  { path: '/admin', name: 'admin', component: () => import('./views/Admin.vue'), meta: { title: 'nav.admin', roles: ['admin'] } },
  { path: '/:pathMatch(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: 'notFound.title' } },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return to.query.next || '/my'
    return true
  }
  if (!session.user) return { name: 'login', query: { next: to.fullPath } }
  if (to.meta.roles && !hasRole(...to.meta.roles)) return { name: 'notfound', params: { pathMatch: to.path.slice(1).split('/') } }
  return true
})

setUnauthorizedHandler(() => {
  session.user = null
  const cur = router.currentRoute.value
  if (!cur.meta.public) router.push({ name: 'login', query: { next: cur.fullPath } })
})
