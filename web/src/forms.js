// forms.js — shared helpers of the edit forms (task, unit, user): where a
// server error goes, and how it reads. The server answers
// {"error": {"code", "message", "field"}} with English messages and fields
// such as "deadline", "coop_unit_ids[1]" or "milestones[1].date"; the form
// shows a Chinese message that names the field, beside that field.
import { t } from './i18n.js'

// "coop_unit_ids[0]" → "coop_unit_ids"; "milestones[1].date" and
// "milestones[1]" stay as they are (each milestone row shows its own).
export function fieldKey(field) {
  if (!field) return ''
  const f = String(field)
  if (/^milestones\[\d+\]/.test(f)) return f
  return f.replace(/\[\d+\].*$/, '')
}

// The milestone row an error belongs to, or -1.
export function milestoneRow(field) {
  const m = /^milestones\[(\d+)\]/.exec(field || '')
  return m ? Number(m[1]) : -1
}

const PATTERNS = [
  [/must not be empty|is required|missing/i, 'srv.required'],
  [/before the task's creation|in the past|already passed/i, 'srv.pastDate'],
  [/rising dates|non-decreasing/i, 'srv.msOrder'],
  [/milestone falls after the deadline/i, 'srv.msAfterDeadline'],
  [/appears twice|already has a part/i, 'srv.unitTwice'],
  [/no unit with id/i, 'srv.noUnit'],
  [/either deadline or deadline_workdays/i, 'srv.deadlineOne'],
  [/login .* is taken/i, 'srv.loginTaken'],
  [/login may use|login must be/i, 'srv.loginChars'],
  [/password must be at least (\d+)/i, 'srv.passwordShort'],
  [/unit role needs a unit_id/i, 'srv.unitNeeded'],
  [/unit named .* already exists|unit with that name already exists/i, 'srv.unitExists'],
  [/its own parent/i, 'srv.ownParent'],
  [/longer than|at most (\d+)/i, 'srv.tooLong'],
]

// The message to show beside `label` for an ApiError.
export function serverMessage(e, label) {
  const field = label || ''
  const f = fieldKey(e.field)
  if (e.code === 'invalid_state') {
    if (f === 'deadline') return t('srv.stateDeadline')
    if (f === 'lead_unit_id' || f === 'coop_unit_ids') return t('srv.stateUnits')
    if (f === 'parent_id') return t('srv.stateParent')
  }
  for (const [re, key] of PATTERNS) {
    const m = re.exec(e.message || '')
    if (m) return t(key, { field, n: m[1] || '' })
  }
  return field ? t('srv.generic', { field, msg: e.message }) : e.message
}

// The general (not field) message of an error.
export function generalMessage(e) {
  if (e.status === 0) return t('common.netError')
  if (e.status === 409 && e.code !== 'invalid_state' && (!e.field || e.field === 'version')) return t('common.conflict')
  if (e.status >= 500) return t('common.serverError', { msg: e.message })
  if (e.status === 403) return t('common.forbidden')
  return e.message || t('common.forbidden')
}

export function clear(obj) {
  for (const k of Object.keys(obj)) delete obj[k]
}

export const CATEGORIES = ['会议决定事项', '重点工作', '领导批示', '办实事', '整改']
export const UNIT_KINDS = ['职能部门', '学院', '直属单位', '外部']
export const ROLES = ['admin', 'supervisor', 'leader', 'unit', 'member']

// report_freq "none" | "weekly:N" | "monthly:N" ⇄ {kind, n}
export function parseFreq(s) {
  const m = /^(weekly|monthly):(\d+)$/.exec(s || '')
  return m ? { kind: m[1], n: Number(m[2]) } : { kind: 'none', n: 1 }
}
export function formatFreq(kind, n) {
  return kind === 'weekly' || kind === 'monthly' ? `${kind}:${n}` : 'none'
}

// A form's Enter handler: Enter in a one-line field (adding a tag, say)
// does not send the form; Ctrl/⌘+Enter does, from a text area too. With
// passCheckbox, Enter on a checkbox is left to the browser.
export function enterGuard(submit, passCheckbox = false) {
  return (ev) => {
    const el = ev.target
    const tag = el && el.tagName
    const mod = ev.ctrlKey || ev.metaKey
    if ((tag === 'INPUT' && !(passCheckbox && el.type === 'checkbox')) || (tag === 'TEXTAREA' && mod)) {
      ev.preventDefault()
      if (mod) submit()
    }
  }
}

// A server error beside its field when the form labels that field (a stale
// version is not a field error), else as the form's general message.
export function placeError(e, labels, errs, general) {
  const k = fieldKey(e.field)
  if (labels[k] && !(e.status === 409 && k === 'version')) errs[k] = serverMessage(e, t(labels[k]))
  else general.value = generalMessage(e)
}
