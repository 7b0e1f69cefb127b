// Pure helpers of the supervisors' board (督办看板) and the notification bell:
// role checks, paging, chart options, decision-time verdicts, labels. No DOM,
// no requests, so `node --test` covers them (board.test.js).

// Roles that may open the board (workflows/roles.json: "supervises": true).
export const SUPERVISOR_ROLES = ['district_supervisor', 'city_supervisor']

export function isSupervisor(user) {
  return !!user && Array.isArray(user.roles) && user.roles.some((r) => r && SUPERVISOR_ROLES.includes(r.role))
}

// Department handlers (at a 部门 unit: /api/v1/me gives each role's tier) have a referral inbox.
export function isDepartmentHandler(user) {
  return !!user && Array.isArray(user.roles) && user.roles.some((r) => r && r.tier === 'department')
}

// Appends a page of a keyset list, dropping rows already shown (a row can move
// between pages while the list changes underneath).
export function mergePage(items, more, key = 'task_id') {
  const have = new Set(items.map((x) => x[key]))
  return items.concat((more || []).filter((x) => !have.has(x[key])))
}

// Share of active tasks that are overdue, as "12.5%"; '' when nothing is active.
export function overdueRate(active, overdue) {
  if (!active) return ''
  const p = (100 * (overdue || 0)) / active
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`
}

// A decision-time row against its promise (30 working days ordinary, 10 fast
// track): 'late' when the median is over it, 'risk' when only the slowest
// tenth is, 'ok' otherwise, '' when there are no cases.
export function decisionVerdict(row) {
  if (!row || !row.cases) return ''
  const promise = Number(row.promise_working_days) || 0
  if (!promise) return ''
  if (Number(row.median_working_days) > promise) return 'late'
  if (Number(row.p90_working_days) > promise) return 'risk'
  return 'ok'
}

const ROUTE_ORDER = { ordinary: 0, fast_track: 1 }

// Rows sorted by unit (in the server's order) then ordinary before fast track,
// each with `first` (first row of its unit, for grouping) and `verdict`.
export function decisionRows(rows) {
  const unitOrder = new Map()
  for (const r of rows || []) if (!unitOrder.has(r.unit_id)) unitOrder.set(r.unit_id, unitOrder.size)
  const sorted = [...(rows || [])].sort(
    (a, b) =>
      unitOrder.get(a.unit_id) - unitOrder.get(b.unit_id) || (ROUTE_ORDER[a.route] ?? 9) - (ROUTE_ORDER[b.route] ?? 9),
  )
  return sorted.map((r, i) => ({
    ...r,
    first: i === 0 || sorted[i - 1].unit_id !== r.unit_id,
    verdict: decisionVerdict(r),
  }))
}

// Working days with one decimal at most ("12", "12.5"); '' for no value.
export function workingDays(x) {
  if (x === null || x === undefined || x === '') return ''
  const n = Number(x)
  if (!Number.isFinite(n)) return ''
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}

// YYYY-MM-DD `days` before (negative: after) a YYYY-MM-DD date.
export function shiftDate(date, days) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '')
  if (!m) return ''
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  d.setUTCDate(d.getUTCDate() - days)
  return d.toISOString().slice(0, 10)
}

// Escalation level of an overdue task → tag type and message key.
// 0 none, 1 reminded (已催办), 2 supervisor notified (已通报督办), 3 reassigned up (已上提改派).
export function escalationTag(level) {
  const n = Number(level) || 0
  const types = ['info', 'warning', 'danger', 'danger']
  const k = Math.max(0, Math.min(3, n))
  return { type: types[k], key: `board.escalation.${k}`, level: k }
}

// Board URL state: the unit is in the query so back/forward and reloads work.
export function boardLocation(unitId) {
  return unitId ? { name: 'board', query: { unit: String(unitId) } } : { name: 'board' }
}

// File name used when the server sends no Content-Disposition.
export function exportFallbackName(format, unitName, asOfDate) {
  const safe = String(unitName || '').replace(/[\\/:*?"<>|\s]+/g, '_')
  return `逾期任务${safe ? '-' + safe : ''}${asOfDate ? '-' + asOfDate : ''}.${format === 'xlsx' ? 'xlsx' : 'csv'}`
}

const RED = '#c0392b'
const AMBER = '#d48806'

// Child units in chart order: most overdue first, then most due soon.
export function chartChildren(children) {
  return [...(children || [])].sort((a, b) => (b.overdue || 0) - (a.overdue || 0) || (b.due_soon || 0) - (a.due_soon || 0))
}

// ECharts option: overdue and due-soon tasks per child unit (`rows` from chartChildren).
export function childrenBarOption(rows, labels) {
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [labels.overdue, labels.dueSoon], top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((c) => c.name),
      axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, width: 90, overflow: 'truncate' },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.overdue, type: 'bar', data: rows.map((c) => c.overdue || 0), itemStyle: { color: RED }, barMaxWidth: 36 },
      { name: labels.dueSoon, type: 'bar', data: rows.map((c) => c.due_soon || 0), itemStyle: { color: AMBER }, barMaxWidth: 36 },
    ],
  }
}

// ECharts option: overdue tasks at each week end, oldest first.
export function trendLineOption(points, labels) {
  const pts = points || []
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: pts.map((p) => String(p.date || '').slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: labels.overdue,
        type: 'line',
        data: pts.map((p) => p.overdue || 0),
        itemStyle: { color: RED },
        areaStyle: { color: 'rgba(192,57,43,0.08)' },
        symbolSize: 6,
      },
    ],
  }
}

// Words for screen readers (and tests) describing a chart's numbers.
export function describeSeries(names, values) {
  return names.map((n, i) => `${n} ${values[i] ?? 0}`).join('，')
}

// ---- Notifications (the bell) ----

export const POLL_MS = 30_000

// Badge text: '' for none, '99+' above 99.
export function badgeText(unread) {
  const n = Number(unread) || 0
  if (n <= 0) return ''
  return n > 99 ? '99+' : String(n)
}

// Where clicking a notification goes: its case (with the task highlighted), or nowhere.
export function notificationTarget(n) {
  if (!n || !n.case_id || !/^\d+$/.test(String(n.case_id))) return null
  const loc = { name: 'case', params: { id: String(n.case_id) } }
  if (n.task_id) loc.query = { task: String(n.task_id) }
  return loc
}

// The list with one notification marked read, and the unread count adjusted.
export function markOneRead(state, id) {
  let changed = false
  const items = state.items.map((n) => {
    if (n.id !== id || n.read) return n
    changed = true
    return { ...n, read: true }
  })
  return { items, unread: Math.max(0, (state.unread || 0) - (changed ? 1 : 0)) }
}

export function markAllRead(state) {
  return { items: state.items.map((n) => (n.read ? n : { ...n, read: true })), unread: 0 }
}
