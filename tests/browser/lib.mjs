// lib.mjs — shared helpers of the browser tests: the demo logins, a
// chromium launcher (Debian's binary through playwright-core, never a
// downloaded browser), page helpers, and a small API client for setup
// and cross-checks.
import { readFileSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { chromium } from '../../web/node_modules/playwright-core/index.mjs'

export const URL = process.env.DUBAN_URL || 'http://127.0.0.1:8088'

// The demo prints its logins; lines look like "login  password  roles  unit".
// Every token pair "xxx / yyy" or "login: xxx password: yyy" is accepted.
export function demoLogins() {
  const text = process.env.DUBAN_DEMO ? readFileSync(process.env.DUBAN_DEMO, 'utf8') : ''
  const out = []
  // duban demo: "demo logins (password for all: PW):" then "login (who)" tokens.
  const all = /password for all:\s*([^\s)]+)\)?/i.exec(text)
  if (all) {
    const tail = text.slice(all.index + all[0].length)
    for (const m of tail.matchAll(/(?:^|\s)([A-Za-z][\w.-]*)\s+\(([^)]*)\)/g)) out.push({ login: m[1], password: all[1], rest: m[2] })
    if (out.length) return out
  }
  for (const line of text.split('\n')) {
    let m = /login[:=\s]+(\S+).*?password[:=\s]+(\S+)/i.exec(line)
    if (!m) m = /^\s*([A-Za-z][\w.-]*)\s*(?:\/|\s)\s*(\S+)\s*(.*)$/.exec(line)
    if (m && !/^(login|user|用户)/i.test(m[1])) out.push({ login: m[1], password: m[2], rest: line })
  }
  return out
}

export async function launch(opts = {}) {
  const dir = mkdtempSync(join(process.env.DUBAN_TMP || tmpdir(), 'chromium-'))
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--lang=zh-CN'],
    locale: 'zh-CN',
    viewport: opts.viewport || { width: 1440, height: 900 },
    deviceScaleFactor: opts.scale || 1,
    isMobile: !!opts.mobile,
    hasTouch: !!opts.mobile,
    baseURL: URL,
  })
  ctx.setDefaultTimeout(10000)
  const page = ctx.pages()[0] || (await ctx.newPage())
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  return { ctx, page, errors, close: () => ctx.close() }
}

export async function login(page, user, password) {
  await page.goto('/login')
  await page.fill('#login', user)
  await page.fill('#password', password)
  await page.click('button[type=submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

// A JSON client with its own cookie jar and CSRF token.
export class Api {
  constructor() { this.cookie = ''; this.csrf = '' }
  async req(method, path, body, retried) {
    const headers = { Accept: 'application/json' }
    if (this.cookie) headers.Cookie = this.cookie
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf
    const r = await fetch(URL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const set = r.headers.getSetCookie ? r.headers.getSetCookie() : []
    if (set.length) this.cookie = set.map((c) => c.split(';')[0]).join('; ')
    const text = await r.text()
    let data = null
    try { data = text ? JSON.parse(text) : null } catch { data = text }
    if (r.status === 403 && !retried && method !== 'GET' && data?.error?.field === 'X-CSRF-Token') {
      // The token may have been rotated by another sign-in of the same user.
      const sess = await this.req('GET', '/api/v1/session')
      this.csrf = sess.csrf_token || sess.csrf
      return this.req(method, path, body, true)
    }
    if (!r.ok) {
      const e = new Error(`${method} ${path} → ${r.status} ${text.slice(0, 300)}`)
      e.status = r.status
      e.data = data
      throw e
    }
    return data
  }
  async login(user, password) {
    const d = await this.req('POST', '/api/v1/session', { login: user, password })
    this.csrf = d.csrf_token || d.csrf
    this.user = d.user
    return d.user
  }
  get(p) { return this.req('GET', p) }
  post(p, b) { return this.req('POST', p, b === undefined ? {} : b) }
}

// Roles and units of the demo users, found through the API as admin.
export async function demoUsers() {
  const logins = demoLogins()
  if (!logins.length) throw new Error('no logins found in the demo output (DUBAN_DEMO)')
  const out = []
  for (const l of logins) {
    const a = new Api()
    try {
      const u = await a.login(l.login, l.password)
      out.push({ ...l, user: u, roles: String(u.roles || '').split(',') })
    } catch { /* not a login line */ }
  }
  return out
}

export function pick(users, role, pred = () => true) {
  return users.find((u) => u.roles.includes(role) && pred(u))
}

export async function shot(page, name) {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: join(process.env.SHOTS_DIR, name + '.png'), fullPage: true })
}
