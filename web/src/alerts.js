// Pure helpers of the alerts page (监测预警) and of the case page's alert review
// (预警核查): who sees alerts, the status filter, the decisions of an alert_review
// task, the alert behind a task, the readable lines of an "alert" event. No DOM,
// no requests, so `node --test` covers them (alerts.test.js).

// Roles for whom the alerts page is useful: the street reviews the alerts, the
// district approves what a reassessment brings, supervisors and auditors follow
// them. Feed accounts post alerts and do not use the app.
export const ALERT_VIEWER_ROLES = ['street_reviewer', 'district_approver', 'district_supervisor', 'city_supervisor', 'auditor']

export function canSeeAlerts(user) {
  return !!user && Array.isArray(user.roles) && user.roles.some((r) => r && ALERT_VIEWER_ROLES.includes(r.role))
}

// The statuses the API keeps an alert under (GET /api/v1/alerts?status=).
export const ALERT_STATUSES = ['matched', 'unmatched', 'below_threshold', 'malformed']

// The page's filter value ('' or 'all' for every status) → the API's status
// parameter ('' sends none); anything unknown is treated as "all".
export function statusQuery(filter) {
  return ALERT_STATUSES.includes(filter) ? filter : ''
}

// Element Plus tag type of an alert's status.
export function statusTagType(status) {
  return { matched: 'danger', unmatched: 'warning', below_threshold: 'info', malformed: 'danger' }[status] || 'info'
}

export const ALERT_REVIEW_KIND = 'alert_review'

// Decisions of an alert review task (task_completion: reassess | no_change, both
// with a reason); the stage's decisions for any other task.
export const ALERT_REVIEW_DECISIONS = ['reassess', 'no_change']

export function decisionsForTask(task, stageDecisions) {
  if (task && task.kind === ALERT_REVIEW_KIND) return [...ALERT_REVIEW_DECISIONS]
  return Array.isArray(stageDecisions) ? stageDecisions : []
}

// The alert that opened a task, from a case's alerts (GET /alerts?case_id=).
export function alertForTask(alerts, taskId) {
  if (!taskId || !Array.isArray(alerts)) return null
  return alerts.find((a) => a && a.task_id != null && String(a.task_id) === String(taskId)) || null
}

// Whether an amount is worth showing: the API sends amount_yuan 0 when the feed
// sent none (only large_medical_expense needs one).
export function hasAmount(alert) {
  return !!alert && typeof alert.amount_yuan === 'number' && alert.amount_yuan > 0
}

// Yuan from the fen of an event payload (amount_fen), or null.
export function fenToYuan(fen) {
  if (fen === null || fen === undefined || fen === '') return null
  const n = Number(fen)
  return Number.isFinite(n) ? n / 100 : null
}

// The readable parts of an "alert" event's payload, for the timeline:
// {kindCode, kindName, source, occurredAt, details, amountYuan, alertId}.
export function alertEventParts(payload) {
  const p = payload || {}
  return {
    alertId: p.alert != null ? String(p.alert) : '',
    kindCode: p.kind || '',
    kindName: p.kind_name || p.kind || '',
    source: p.source || '',
    occurredAt: p.occurred_at || '',
    details: p.details || '',
    amountYuan: fenToYuan(p.amount_fen),
  }
}

// Appends the next page of alerts, dropping those already shown.
export function mergeAlerts(items, more) {
  const have = new Set((items || []).map((a) => a.id))
  return (items || []).concat((more || []).filter((a) => !have.has(a.id)))
}

// What to say about an alert's `error`, in the app's words where the server's
// sentence is a known one: {key, params} for t(), or {raw} (a malformed alert's
// own reason, "field: message", is shown as the server wrote it).
//   unmatched:       "no open case for this ID number"
//   below_threshold: "amount below the dibao threshold of 10000 yuan"
export function alertErrorMessage(alert) {
  if (!alert || !alert.error) return null
  if (alert.status === 'unmatched') return { key: 'alerts.errors.unmatched', params: {} }
  if (alert.status === 'below_threshold') {
    const m = /below the (\w+) threshold of ([\d.]+) yuan/.exec(alert.error)
    if (m) return { key: 'alerts.errors.belowThreshold', params: { programme: m[1], threshold: Number(m[2]) } }
  }
  if (alert.status === 'malformed') {
    const i = alert.error.indexOf(': ')
    if (i > 0) return { key: 'alerts.errors.malformed', params: { field: alert.error.slice(0, i), message: alert.error.slice(i + 2) } }
  }
  return { raw: alert.error }
}
