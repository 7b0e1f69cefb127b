import { createRouter, createWebHistory } from 'vue-router'
import { session } from './session.js'
import { setUnauthenticatedHandler } from './api.js'
import { isDepartmentHandler, isSupervisor } from './board.js'
import { isAuditor } from './audit.js'
import { canSeeAlerts } from './alerts.js'
import LoginView from './views/LoginView.vue'
import InboxView from './views/InboxView.vue'
import CaseView from './views/CaseView.vue'
import ReportView from './views/ReportView.vue'
import NotFoundView from './views/NotFoundView.vue'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    { path: '/', name: 'inbox', component: InboxView },
    { path: '/cases/:id(\\d+)', name: 'case', component: CaseView, props: true },
    { path: '/report', name: 'report', component: ReportView },
    { path: '/policies', name: 'policies', component: () => import('./views/PoliciesView.vue') },
    { path: '/referrals', name: 'referrals', component: () => import('./views/ReferralsView.vue'), meta: { department: true } },
    // Loaded on demand: it brings ECharts, which no other page needs.
    { path: '/board', name: 'board', component: () => import('./views/BoardView.vue'), meta: { supervisor: true } },
    // Also on demand (ECharts too): the auditors' sampling page.
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { auditor: true } },
    // Alerts (监测预警) for those who follow them.
    { path: '/alerts', name: 'alerts', component: () => import('./views/AlertsView.vue'), meta: { alerts: true } },
    { path: '/:rest(.*)*', name: 'not-found', component: NotFoundView, meta: { public: true } },
  ],
})

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.name === 'login' && session.token && !to.query.expired) return { name: 'inbox' }
  if (to.meta.supervisor && !isSupervisor(session.user)) return { name: 'inbox' }
  if (to.meta.auditor && !isAuditor(session.user)) return { name: 'inbox' }
  if (to.meta.department && !isDepartmentHandler(session.user)) return { name: 'inbox' }
  if (to.meta.alerts && !canSeeAlerts(session.user)) return { name: 'inbox' }
  return true
})

// Any 401 from the API: back to sign-in with a message, then back here.
setUnauthenticatedHandler(() => {
  const cur = router.currentRoute.value
  if (cur.name === 'login') return
  router.push({ name: 'login', query: { expired: '1', redirect: cur.fullPath } })
})
