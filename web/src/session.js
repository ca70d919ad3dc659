// session.js — the signed-in user, shared by the layout, router and pages.
import { reactive } from 'vue'
import { api, setCsrf } from './api.js'

export const session = reactive({ user: null, loaded: false })

function take(d) {
  session.user = (d && d.user) || null
  const tok = d && (d.csrf_token || d.csrf) // the server sends "csrf"; the contract said "csrf_token"
  if (tok) setCsrf(tok)
  session.loaded = true
  return session.user
}

export async function loadSession() {
  try {
    return take(await api.get('/api/v1/session', null, { noAuthRedirect: true }))
  } catch {
    session.user = null
    session.loaded = true
    return null
  }
}

export async function login(loginName, password) {
  return take(await api.post('/api/v1/session', { login: loginName, password }, { noAuthRedirect: true }))
}

export async function logout() {
  try { await api.del('/api/v1/session', { noAuthRedirect: true }) } catch { /* already gone */ }
  session.user = null
  setCsrf('')
}

export function roles() {
  const r = session.user && session.user.roles
  if (!r) return []
  return Array.isArray(r) ? r : String(r).split(',').map((s) => s.trim()).filter(Boolean)
}
export function hasRole(...want) {
  const mine = roles()
  return want.some((w) => mine.includes(w))
}
export const isSupervisor = () => hasRole('admin', 'supervisor')
export const isOverseer = () => hasRole('admin', 'supervisor', 'leader')
