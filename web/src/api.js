// The HTTP client: same origin as the app, bearer token, problem+json errors.
import { session, expire } from './session.js'

let onUnauthenticated = () => {}

// The router registers what to do when the token is refused (back to sign-in).
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
    this.retryAfter = retryAfter
  }

  get type() {
    const tp = this.problem.type || ''
    return tp.slice(tp.lastIndexOf('/') + 1)
  }

  // {field: server message} from problem+json errors[].
  get fieldErrors() {
    const out = {}
    for (const e of this.problem.errors || []) {
      if (e && e.field && !(e.field in out)) out[e.field] = e.message || ''
    }
    return out
  }

  get current() {
    return this.problem.current || null
  }
}

function randomKey() {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const b = new Uint8Array(16)
  c.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

// An Idempotency-Key for one intended command: reuse it when the same command
// is retried after a lost answer, make a new one for the next command.
export function newIdempotencyKey() {
  return randomKey()
}

// `path` with the query's non-empty values appended.
export function withQuery(path, query) {
  let url = path
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v))
    }
    const s = qs.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  return url
}

// The file name of a Content-Disposition header: RFC 6266 / 5987
// `filename*=UTF-8''…` (percent-encoded, wins) or a plain `filename="…"`.
export function filenameFromDisposition(header) {
  if (!header) return ''
  const star = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header)
  if (star && /^utf-8$/i.test(star[1])) {
    try {
      return sanitizeFilename(decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')))
    } catch {
      /* malformed percent-encoding: try the plain parameter */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header)
  if (!plain) return ''
  return sanitizeFilename(plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2].trim())
}

// No directories, no control characters.
function sanitizeFilename(name) {
  return name.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^.*[\\/]/, '').trim()
}

export async function request(method, path, { body, query, idempotencyKey, auth = true } = {}) {
  const url = withQuery(path, query)
  const headers = { Accept: 'application/json, application/problem+json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey
  let res
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, null)
  }
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (res.ok) return data
  const retryAfter = Number(res.headers.get('Retry-After')) || undefined
  const err = new ApiError(res.status, data, retryAfter)
  if (res.status === 401 && auth) {
    expire()
    onUnauthenticated()
  }
  throw err
}

// Downloads a file the API makes (CSV, Excel) with the bearer token: fetch as
// a blob, then save it under the server's file name (Content-Disposition) or
// `fallbackName`. Errors as for request().
export async function download(path, { query, fallbackName } = {}) {
  const url = withQuery(path, query)
  const headers = {}
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  let res
  try {
    res = await fetch(url, { headers })
  } catch {
    throw new ApiError(0, null)
  }
  if (!res.ok) {
    let problem = null
    try {
      problem = JSON.parse(await res.text())
    } catch {
      problem = null
    }
    if (res.status === 401) {
      expire()
      onUnauthenticated()
    }
    throw new ApiError(res.status, problem, Number(res.headers.get('Retry-After')) || undefined)
  }
  const blob = await res.blob()
  const name = filenameFromDisposition(res.headers.get('Content-Disposition')) || fallbackName || 'download'
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
  return { name, size: blob.size }
}

const enc = encodeURIComponent

export const api = {
  login: (username, password) =>
    request('POST', '/api/v1/auth/login', { body: { username, password }, auth: false }),
  me: () => request('GET', '/api/v1/me'),
  programmes: () => request('GET', '/api/v1/programmes'),
  orgUnits: () => request('GET', '/api/v1/org-units'),
  inbox: (query) => request('GET', '/api/v1/inbox', { query }),
  policies: (query) => request('GET', '/api/v1/policies', { query }),
  getCase: (id) => request('GET', `/api/v1/cases/${encodeURIComponent(id)}`),
  // The calculator on the household facts with the case's district standards; writes nothing.
  previewAssessment: (caseId, assessment) =>
    request('POST', `/api/v1/cases/${enc(caseId)}/assessment/preview`, { body: { assessment } }),
  discover: (body, idempotencyKey) => request('POST', '/api/v1/cases', { body, idempotencyKey }),
  claim: (taskId, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/claim`, { body: {}, idempotencyKey }),
  release: (taskId, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/release`, { body: {}, idempotencyKey }),
  bulkClaim: (taskIds) => request('POST', '/api/v1/tasks/bulk-claim', { body: { task_ids: taskIds } }),
  // Referral proposals of a case, and the department handler's referral inbox.
  referralProposals: (caseId) => request('GET', `/api/v1/cases/${enc(caseId)}/referral-proposals`),
  referrals: (query) => request('GET', '/api/v1/referrals', { query }),
  feedback: (caseId, body, idempotencyKey) =>
    request('POST', `/api/v1/cases/${enc(caseId)}/feedback`, { body, idempotencyKey }),
  // 季度走访: the visit record of a quarterly_visit task.
  visit: (taskId, body, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${enc(taskId)}/visit`, { body, idempotencyKey }),
  complete: (taskId, body, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { body, idempotencyKey }),

  // Supervisors' board (督办看板).
  boardSummary: (query) => request('GET', '/api/v1/board/summary', { query }),
  boardTrend: (query) => request('GET', '/api/v1/board/trend', { query }),
  boardPools: (query) => request('GET', '/api/v1/board/pools', { query }),
  boardOverdue: (query) => request('GET', '/api/v1/board/overdue', { query }),
  boardDecisionTimes: (query) => request('GET', '/api/v1/board/decision-times', { query }),
  boardAssignees: (unit, role) => request('GET', '/api/v1/board/assignees', { query: { unit, role } }),
  exportOverdue: (format, query, fallbackName) =>
    download(`/api/v1/board/overdue.${format === 'xlsx' ? 'xlsx' : 'csv'}`, { query, fallbackName }),
  reassign: (taskId, toUser, reason) =>
    request('POST', `/api/v1/tasks/${enc(taskId)}/reassign`, { body: { to_user: toUser, reason } }),
  remind: (taskId, message) => request('POST', `/api/v1/tasks/${enc(taskId)}/remind`, { body: { message } }),

  // Post-audit of the fast track (事后抽查) and credit records (失信).
  auditPopulation: (query) => request('GET', '/api/v1/post-audit/population', { query }),
  auditSamples: (query) => request('GET', '/api/v1/post-audit/samples', { query }),
  auditSample: (id) => request('GET', `/api/v1/post-audit/samples/${enc(id)}`),
  createAuditSample: (body, idempotencyKey) => request('POST', '/api/v1/post-audit/samples', { body, idempotencyKey }),
  drawAuditSample: (id, idempotencyKey) =>
    request('POST', `/api/v1/post-audit/samples/${enc(id)}/draw`, { body: {}, idempotencyKey }),
  verifyAuditSample: (id) => request('GET', `/api/v1/post-audit/samples/${enc(id)}/verify`),
  auditItems: (query) => request('GET', '/api/v1/post-audit/items', { query }),
  // step: finding | reverification | decision
  auditItemStep: (itemId, step, body, idempotencyKey) =>
    request('POST', `/api/v1/post-audit/items/${enc(itemId)}/${enc(step)}`, { body, idempotencyKey }),
  auditStats: (query) => request('GET', '/api/v1/post-audit/stats', { query }),
  creditRecords: (query) => request('GET', '/api/v1/credit-records', { query }),

  // Alerts from data-comparison and sensor feeds (监测预警): status, case_id, cursor, limit.
  alerts: (query) => request('GET', '/api/v1/alerts', { query }),

  // Notifications (the bell).
  notifications: (query) => request('GET', '/api/v1/notifications', { query }),
  markNotificationRead: (id) => request('POST', `/api/v1/notifications/${enc(id)}/read`, { body: {} }),
  markAllNotificationsRead: () => request('POST', '/api/v1/notifications/read-all', { body: {} }),
}
