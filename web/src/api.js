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

export async function request(method, path, { body, query, idempotencyKey, auth = true } = {}) {
  let url = path
  if (query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '' && v !== false) qs.set(k, String(v))
    }
    const s = qs.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
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

export const api = {
  login: (username, password) =>
    request('POST', '/api/v1/auth/login', { body: { username, password }, auth: false }),
  me: () => request('GET', '/api/v1/me'),
  programmes: () => request('GET', '/api/v1/programmes'),
  orgUnits: () => request('GET', '/api/v1/org-units'),
  inbox: (query) => request('GET', '/api/v1/inbox', { query }),
  getCase: (id) => request('GET', `/api/v1/cases/${encodeURIComponent(id)}`),
  discover: (body, idempotencyKey) => request('POST', '/api/v1/cases', { body, idempotencyKey }),
  claim: (taskId, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/claim`, { body: {}, idempotencyKey }),
  release: (taskId, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/release`, { body: {}, idempotencyKey }),
  bulkClaim: (taskIds) => request('POST', '/api/v1/tasks/bulk-claim', { body: { task_ids: taskIds } }),
  complete: (taskId, body, idempotencyKey) =>
    request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { body, idempotencyKey }),
}
