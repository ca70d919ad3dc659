// util.js — small shared helpers: dates, labels, error display.
import { ref, onMounted, onBeforeUnmount } from 'vue'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { t, te } from './i18n.js'

export function today() {
  const d = new Date()
  return ymd(d)
}
export function ymd(d) {
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
export function parseYmd(s) {
  if (!s) return null
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null
}
export function daysBetween(a, b) {
  const da = parseYmd(a), db = parseYmd(b)
  if (!da || !db) return null
  return Math.round((db - da) / 86400000)
}
// Server times carry the institution's offset: show that wall clock as is.
export function fmtTime(s) {
  if (!s) return ''
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(s)
  if (m) return `${m[1]} ${m[2]}`
  const d = new Date(s)
  if (isNaN(d)) return s
  const p = (n) => String(n).padStart(2, '0')
  return `${ymd(d)} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function statusLabel(task) {
  const s = typeof task === 'string' ? task : task && task.status
  return te('status.' + s) ? t('status.' + s) : (task && task.status_label) || s || ''
}
export const statusType = {
  draft: 'info', assigned: 'primary', in_progress: 'primary', review: 'warning', done: 'success', suspended: 'info', cancelled: 'info',
}
export function actionLabel(a) {
  return te('action.' + a) ? t('action.' + a) : a
}

// How urgent a task is: negative days = overdue.
export function dueText(task) {
  if (!task || !task.deadline || ['done', 'cancelled'].includes(task.status)) return ''
  const d = daysBetween(today(), task.deadline)
  if (d === null) return ''
  if (d < 0) return t('task.overdueBy', { n: -d })
  if (d === 0) return t('task.dueToday')
  return t('task.dueIn', { n: d })
}

export function unitNames(list) {
  return (list || []).map((u) => u.name || u.unit_name || u).join('、')
}

// Shows an API error as a toast; returns the field it names (if any)
// so forms can put the message beside that field.
export function showError(e) {
  if (!e) return ''
  if (e.name === 'AbortError') return ''
  let msg
  if (e.status === 0) msg = t('common.netError')
  else if (e.status === 409 && (e.code === 'conflict' || e.code === 'version')) msg = t('common.conflict')
  else if (e.status === 403) msg = e.message && !/^HTTP/.test(e.message) ? e.message : t('common.forbidden')
  else if (e.status >= 500) msg = t('common.serverError', { msg: e.message })
  else msg = e.message || String(e)
  ElMessage({ type: 'error', message: msg, duration: 6000, showClose: true, grouping: true })
  return e.field || ''
}
export function toast(msg, type = 'success') {
  ElMessage({ type, message: msg, duration: 2500, grouping: true })
}

// report_freq: "none" | "weekly:5" | "monthly:28" | free text.
export function freqText(f) {
  if (!f || f === 'none') return t('task.freqNone')
  const m = /^(weekly|monthly):(\d+)$/.exec(f)
  if (m) return t(m[1] === 'weekly' ? 'task.freqWeekly' : 'task.freqMonthly', { n: m[2] })
  return f
}

// True while the window is narrower than px: dialogs go full screen and
// forms to one column on phones.
export function useNarrow(px = 820) {
  const narrow = ref(window.innerWidth < px)
  const onResize = () => { narrow.value = window.innerWidth < px }
  onMounted(() => window.addEventListener('resize', onResize))
  onBeforeUnmount(() => window.removeEventListener('resize', onResize))
  return narrow
}
