// api.js — the JSON client for /api/v1. Every unsafe request carries the
// CSRF token of the session; errors become ApiError with the server's
// {code, message, field}. Callers keep their form state on error.

let csrfToken = ''
let onUnauthorized = null

export function setCsrf(t) {
  csrfToken = t || ''
  try { sessionStorage.setItem('duban.csrf', csrfToken) } catch { /* private mode */ }
}
export function getCsrf() {
  if (!csrfToken) {
    try { csrfToken = sessionStorage.getItem('duban.csrf') || '' } catch { /* ignore */ }
  }
  return csrfToken
}
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export class ApiError extends Error {
  constructor(status, err, retryAfter) {
    super((err && err.message) || `HTTP ${status}`)
    this.status = status
    this.code = (err && err.code) || (status === 0 ? 'network' : 'http_' + status)
    this.field = (err && err.field) || ''
    this.retryAfter = retryAfter
  }
}

export function qs(params) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (!['GET', 'HEAD'].includes(method)) headers['X-CSRF-Token'] = getCsrf()
  if (opts.signal) init.signal = opts.signal
  let r
  try {
    r = await fetch(path, init)
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, { code: 'network', message: '' })
  }
  const text = await r.text()
  let data = null
  if (text) {
    try { data = JSON.parse(text) } catch { data = null }
  }
  if (r.status === 403 && !opts.retried && !['GET', 'HEAD'].includes(method) && data && data.error && data.error.field === 'X-CSRF-Token') {
    // The token was rotated (e.g. the same user signed in elsewhere): fetch it again, retry once.
    try {
      const s = await request('GET', '/api/v1/session', undefined, { noAuthRedirect: true })
      if (s && (s.csrf_token || s.csrf)) {
        setCsrf(s.csrf_token || s.csrf)
        return request(method, path, body, { ...opts, retried: true })
      }
    } catch { /* fall through to the original error */ }
  }
  if (!r.ok) {
    const ra = r.headers.get('Retry-After')
    const err = new ApiError(r.status, data && data.error, ra ? Number(ra) : null)
    if (r.status === 401 && onUnauthorized && !opts.noAuthRedirect) onUnauthorized()
    throw err
  }
  return data
}

export const api = {
  get: (p, params, o) => request('GET', p + qs(params), undefined, o),
  post: (p, b, o) => request('POST', p, b === undefined ? {} : b, o),
  put: (p, b, o) => request('PUT', p, b, o),
  patch: (p, b, o) => request('PATCH', p, b, o),
  del: (p, o) => request('DELETE', p, o && o.body, o),
}

// Does a GET route exist? Reads only the status line, then aborts.
export async function routeExists(path) {
  const c = new AbortController()
  try {
    const r = await fetch(path, { method: 'GET', credentials: 'same-origin', signal: c.signal })
    c.abort()
    return r.ok
  } catch {
    return false
  }
}

// Lists come as {items:[...]} or as a bare array.
export function itemsOf(d) {
  if (!d) return []
  if (Array.isArray(d)) return d
  return d.items || d.tasks || d.records || d.units || d.users || []
}
