// Times from the API are UTC (RFC 3339 with microseconds); the people who use
// the app work on Beijing time, so everything is shown in Asia/Shanghai.
import { locale, t } from './i18n.js'

const ZONE = 'Asia/Shanghai'

export function parseInstant(s) {
  if (!s) return null
  // Keep milliseconds only: not every engine parses six fractional digits.
  const d = new Date(String(s).replace(/(\.\d{3})\d+/, '$1'))
  return Number.isNaN(d.getTime()) ? null : d
}

function parts(d, withTime, withSeconds) {
  const opts = { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' }
  if (withTime) Object.assign(opts, { hour: '2-digit', minute: '2-digit' })
  if (withSeconds) opts.second = '2-digit'
  const out = {}
  for (const p of new Intl.DateTimeFormat('en-CA', opts).formatToParts(d)) out[p.type] = p.value
  return out
}

// 2026-10-16
export function formatDate(s) {
  const d = parseInstant(s)
  if (!d) return ''
  const p = parts(d, false)
  return `${p.year}-${p.month}-${p.day}`
}

// 2026-10-16 23:59 (or with seconds)
export function formatDateTime(s, withSeconds = false) {
  const d = parseInstant(s)
  if (!d) return ''
  const p = parts(d, true, withSeconds)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? ':' + p.second : ''}`
}

// Urgency of an active task: 'overdue' (red), 'soon' (amber: due within 2 working days), ''.
export function urgency(task) {
  if (!task || (task.state !== 'open' && task.state !== 'claimed')) return ''
  if (task.overdue) return 'overdue'
  if ((task.working_days_left ?? 99) <= 2) return 'soon'
  return ''
}

export function dueText(task) {
  if (!task) return ''
  if (task.state === 'done' || task.state === 'cancelled') {
    return task.completed_at ? t('due.doneAt', { at: formatDateTime(task.completed_at) }) : ''
  }
  const n = task.working_days_left ?? 0
  if (task.overdue) return n < 0 ? t('due.overdue', { n: -n }) : t('due.overdueToday')
  if (n <= 0) return t('due.today')
  return t('due.left', { n })
}

export function yuan(v) {
  if (v === null || v === undefined || v === '') return ''
  const n = Number(v)
  if (!Number.isFinite(n)) return String(v)
  const s = n.toLocaleString(locale.value === 'en' ? 'en-US' : 'zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return t('app.yuan', { n: s })
}
