// Pure helpers of the post-audit (事后抽查) page and of the case page's
// post-audit, credit-record and decision-facts sections: role checks, default
// periods, the sample request, strata labels, item steps, chart options. No
// DOM, no requests, so `node --test` covers them (audit.test.js).

export const AUDITOR_ROLES = ['auditor']

export function isAuditor(user) {
  return !!user && Array.isArray(user.roles) && user.roles.some((r) => r && AUDITOR_ROLES.includes(r.role))
}

// Inbox task kind → the post-audit form it opens on the case page. These tasks
// are completed through /post-audit/items/{id}/…, never /tasks/{id}/complete.
export const POST_AUDIT_FORMS = {
  post_audit: 'finding',
  post_audit_reverify: 'reverification',
  post_audit_decision: 'decision',
}

export function isPostAuditKind(kind) {
  return Object.prototype.hasOwnProperty.call(POST_AUDIT_FORMS, kind)
}

export const STRATA = ['district', 'street', 'approver', 'programme']
export const CATEGORIES = ['undeclared_income', 'assets', 'household_members', 'other']
export const ITEM_STATUSES = ['pending', 'confirmed', 'reverifying', 'awaiting_decision', 'upheld', 'adjusted', 'revoked']
// Decisions shown with their facts: the approval stage's, the revocation, and
// the district's post-audit decision to uphold or adjust (a revocation is
// recorded as `revoke` alone).
export const DECISION_ACTIONS = ['approve', 'reject', 'send_back', 'revoke', 'post_audit_decision']

// Today's date on Beijing time (the API reads bare dates as Beijing dates).
export function beijingToday(now = new Date()) {
  const p = {}
  for (const x of new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now)) {
    p[x.type] = x.value
  }
  return `${p.year}-${p.month}-${p.day}`
}

function parseDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '')
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null
}

function fmt(y, m, d) {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function daysInMonth(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

// The same day `months` months earlier (clamped to the month's last day).
export function monthsBefore(date, months) {
  const p = parseDate(date)
  if (!p) return ''
  const idx = p.y * 12 + (p.m - 1) - months
  const y = Math.floor(idx / 12)
  const m = (idx % 12) + 1
  return fmt(y, m, Math.min(p.d, daysInMonth(y, m)))
}

export function addDays(date, days) {
  const p = parseDate(date)
  if (!p) return ''
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d + days))
  return d.toISOString().slice(0, 10)
}

// The last month up to and including today: {from, to} with `to` exclusive
// (the API's period end is exclusive, so it is tomorrow).
export function defaultPeriod(today) {
  return { from: monthsBefore(today, 1), to: addDays(today, 1) }
}

// Statistics default: the first day of the month five months back, to tomorrow (six months).
export function defaultStatsPeriod(today) {
  const start = monthsBefore(today, 5)
  return { from: start ? start.slice(0, 8) + '01' : '', to: addDays(today, 1) }
}

// 1000 basis points → "10%".
export function rateText(basisPoints) {
  const n = Number(basisPoints)
  if (!Number.isFinite(n)) return ''
  const pct = n / 100
  return `${Number.isInteger(pct) ? pct : pct.toFixed(2).replace(/0+$/, '')}%`
}

// Checks the sample form; {field: message key} of what is wrong.
export function validateSample(form) {
  const e = {}
  if (!parseDate(form.period_from)) e.period_from = 'audit.valid.date'
  if (!parseDate(form.period_to)) e.period_to = 'audit.valid.date'
  if (!e.period_from && !e.period_to && form.period_to <= form.period_from) e.period_to = 'audit.valid.periodOrder'
  const r = Number(form.rate_percent)
  if (form.rate_percent === null || form.rate_percent === '' || !Number.isFinite(r) || r <= 0 || r > 100) e.rate = 'audit.valid.rate'
  const min = form.minimum_per_stratum
  if (min !== null && min !== undefined && min !== '' && !(Number.isInteger(Number(min)) && Number(min) >= 0)) {
    e.minimum_per_stratum = 'audit.valid.minimum'
  }
  return e
}

// The POST /post-audit/samples body of the form; the rate goes as "10%" so no
// binary fraction is involved.
export function sampleBody(form) {
  const b = {
    period_from: form.period_from,
    period_to: form.period_to,
    rate: `${Number(form.rate_percent)}%`,
    strata: STRATA.filter((s) => (form.strata || []).includes(s)),
    minimum_per_stratum: Number(form.minimum_per_stratum) || 0,
    always_include_flagged: !!form.always_include_flagged,
  }
  if (form.programmes && form.programmes.length) b.programmes = [...form.programmes]
  return b
}

// Names of org units seen in a sample's items (street and district objects).
export function unitNamesFromItems(items) {
  const names = {}
  for (const it of items || []) {
    for (const u of [it.street, it.district]) if (u && u.id && u.name) names[u.id] = u.name
  }
  return names
}

// One stratum in words: its key values (aligned with the sample's strata
// dimensions) named through `nameOf(dimension, value)`. Falls back to the
// server's label when the key is missing.
export function stratumLabel(stratum, dimensions, nameOf) {
  const key = Array.isArray(stratum && stratum.key) ? stratum.key : []
  if (!key.length || !dimensions || !dimensions.length) return (stratum && stratum.label) || ''
  return key.map((v, i) => nameOf(dimensions[i], v)).join(' · ')
}

// The steps of one sampled item, for the case page and the items list:
// [{step, done, by, at}] — sampled, finding, re-verification (only after a
// discrepancy), decision.
export function itemSteps(item) {
  if (!item) return []
  const steps = [{ step: 'sampled', done: true, by: '', at: '' }]
  steps.push({ step: 'finding', done: !!item.found_at, by: item.found_by || '', at: item.found_at || '' })
  const discrepancy = item.status !== 'pending' && item.status !== 'confirmed'
  if (discrepancy) {
    steps.push({ step: 'reverification', done: !!item.reverified_at, by: item.reverified_by || '', at: item.reverified_at || '' })
    steps.push({ step: 'decision', done: !!item.decided_at, by: item.decided_by || '', at: item.decided_at || '' })
  }
  return steps
}

export function statusTagType(status) {
  return (
    {
      pending: 'info',
      confirmed: 'success',
      upheld: 'success',
      reverifying: 'warning',
      awaiting_decision: 'warning',
      adjusted: 'warning',
      revoked: 'danger',
    }[status] || 'info'
  )
}

// Credit records whose fast-track bar still runs.
export function activeCredit(records) {
  return (records || []).filter((r) => r && r.active)
}

// The signed-in user's post-audit work on a case: the first of `tasks` (open or
// claimed, post-audit kind, `workable`) whose item is in the case's post_audit
// list. `preferred` (the task id the inbox pointed at) wins. null when none.
export function postAuditWork(kase, workable, preferred) {
  if (!kase) return null
  const items = kase.post_audit || []
  const candidates = (kase.tasks || []).filter(
    (t) => (t.state === 'open' || t.state === 'claimed') && isPostAuditKind(t.kind) && workable(t),
  )
  const ordered = [...candidates.filter((t) => t.id === preferred), ...candidates.filter((t) => t.id !== preferred)]
  for (const task of ordered) {
    const item = items.find((i) => i && i.task_id != null && String(i.task_id) === String(task.id))
    if (item) return { task, item, form: POST_AUDIT_FORMS[task.kind] }
  }
  return null
}

// Decision events of a timeline (approve / reject / send back / revoke), oldest first.
export function decisionEvents(timeline) {
  return (timeline || []).filter((e) => e && DECISION_ACTIONS.includes(e.action)).sort((a, b) => (a.seq || 0) - (b.seq || 0))
}

// The post-audit item a decision event acted on (payload.item on a post-audit
// decision, payload.post_audit_item on a revocation), from the case's list.
// Audit payloads carry ids as JSON numbers above 2^53, which JSON.parse rounds;
// the list has them as strings. So: the exact id if it matches, else the one
// item whose id rounds to the same double (a case's items come from different
// samples, so their ids are far apart), else null.
export function eventAuditItem(event, items) {
  const p = (event && event.payload) || {}
  const id = p.post_audit_item ?? p.item
  if (id === undefined || id === null) return null
  const list = (items || []).filter(Boolean)
  const exact = list.find((i) => String(i.id) === String(id))
  if (exact) return exact
  const near = list.filter((i) => Number(i.id) === Number(id))
  return near.length === 1 ? near[0] : null
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v)

// The facts a decision was taken on, as rows {key, value, kind} where kind is
// 'yuan' | 'text' | 'count' | 'pledge' | 'route' | 'pool'. Whatever the stored
// assessment holds is shown; fields that are missing are left out. [] when the
// event carries no facts (decisions recorded before facts were kept).
export function factRows(facts) {
  if (!facts || typeof facts !== 'object') return []
  const rows = []
  if (facts.route) rows.push({ key: 'route', value: facts.route, kind: 'route' })
  const a = facts.assessment && typeof facts.assessment === 'object' ? facts.assessment : null
  const pool = facts.pool || (a && a.pool)
  if (pool) rows.push({ key: 'pool', value: pool, kind: 'pool' })
  if (a) {
    // Two shapes: the calculator's record (money as {fen, yuan}, nested under income,
    // standards, household) and the older flat one (…_yuan numbers).
    const money = (m) => (m && typeof m === 'object' ? (isNum(m.fen) ? m.fen / 100 : Number(m.yuan)) : undefined)
    const yuan = (flat, nested) => (isNum(flat) ? flat : money(nested))
    const push = (key, v) => { if (isNum(v)) rows.push({ key, value: v, kind: 'yuan' }) }
    const income = a.income || {}
    const standards = a.standards || {}
    const assets = a.assets || {}
    push('perCapita', yuan(a.per_capita_monthly_yuan, income.per_capita_monthly))
    push('dibaoLine', yuan(a.dibao_line_monthly_yuan, standards.dibao_line_monthly))
    push('lowIncomeLine', yuan(a.low_income_line_monthly_yuan, standards.low_income_line_monthly))
    push('annualIncome', yuan(a.annual_income_yuan, income.annual_total))
    push('assets', yuan(a.assets_yuan, assets.deposits))
    push('medical', yuan(a.annual_medical_expense_yuan, income.medical_expense))
    push('education', yuan(a.annual_education_expense_yuan, income.education_expense))
    const members = Array.isArray(a.members) ? a.members : a.household && Array.isArray(a.household.members) ? a.household.members : null
    if (members) {
      rows.push({ key: 'members', value: members.length, kind: 'count', names: members.map((m) => (m && m.name) || '').filter(Boolean) })
    }
    const reason = a.reason || (Array.isArray(a.reasons) ? a.reasons.filter(Boolean).join('；') : '')
    if (reason) rows.push({ key: 'reason', value: String(reason), kind: 'text' })
  }
  if (facts.pledge && typeof facts.pledge === 'object') {
    rows.push({
      key: 'pledge',
      value: !!facts.pledge.signed,
      kind: 'pledge',
      signer: facts.pledge.signer_name || '',
      at: facts.pledge.signed_at || '',
    })
  } else if ('pledge' in facts) {
    rows.push({ key: 'pledge', value: false, kind: 'pledge', signer: '', at: '' })
  }
  return rows
}

// Pass rate as "90%" (one decimal when needed); '—' when nothing is finished.
export function percentText(rate) {
  if (rate === null || rate === undefined || rate === '') return '—'
  const n = Number(rate)
  if (!Number.isFinite(n)) return '—'
  const p = n * 100
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : p.toFixed(1)}%`
}

// Statistics totals over rows: sampled, finished, passed, pass rate (null when none finished).
export function statsTotals(rows) {
  const t = { sampled: 0, finished: 0, passed: 0, discrepancies: 0, revoked: 0 }
  for (const r of rows || []) for (const k of Object.keys(t)) t[k] += Number(r[k]) || 0
  t.pass_rate = t.finished ? t.passed / t.finished : null
  return t
}

const PALETTE = ['#1f6feb', '#2da44e', '#d48806', '#c0392b', '#8250df', '#0a7ea4', '#bf3989', '#57606a']

// Months (sorted) and units (in first-seen order) of the stats rows, and the
// pass rate in percent per unit per month (null where the unit has no finished item).
export function passRateSeries(rows) {
  const months = [...new Set((rows || []).map((r) => r.month))].filter(Boolean).sort()
  const units = []
  const seen = new Set()
  for (const r of rows || []) {
    const id = r.org_unit && r.org_unit.id
    if (id && !seen.has(id)) {
      seen.add(id)
      units.push({ id, name: r.org_unit.name || id })
    }
  }
  const series = units.map((u) => ({
    unit: u,
    values: months.map((m) => {
      const r = rows.find((x) => x.month === m && x.org_unit && x.org_unit.id === u.id)
      if (!r || !r.finished || r.pass_rate === null || r.pass_rate === undefined) return null
      return Math.round(Number(r.pass_rate) * 1000) / 10
    }),
  }))
  return { months, series }
}

// ECharts option: pass rate (%) by month, one bar series per unit.
export function passRateOption(rows) {
  const { months, series } = passRateSeries(rows)
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${v}%`) },
    legend: { data: series.map((s) => s.unit.name), top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: series.map((s, i) => ({
      name: s.unit.name,
      type: 'bar',
      data: s.values,
      barMaxWidth: 28,
      // A 0 % bar has no height: the number on top keeps it visible.
      label: { show: true, position: 'top', formatter: (p) => (p.value === null || p.value === undefined ? '' : `${p.value}%`) },
      itemStyle: { color: PALETTE[i % PALETTE.length] },
    })),
  }
}

// The pass-rate chart in words: "大武口区 2026-11 90%，…".
export function describePassRate(rows) {
  const { months, series } = passRateSeries(rows)
  const parts = []
  for (const s of series) {
    months.forEach((m, i) => {
      if (s.values[i] !== null) parts.push(`${s.unit.name} ${m} ${s.values[i]}%`)
    })
  }
  return parts.join('，')
}

// ECharts option: discrepancy categories as a pie (`names` maps category → label).
export function categoriesOption(categories, names) {
  const data = CATEGORIES.map((c) => ({ name: names[c] || c, value: Number((categories || {})[c]) || 0 }))
  for (const [c, v] of Object.entries(categories || {})) {
    if (!CATEGORIES.includes(c)) data.push({ name: names[c] || c, value: Number(v) || 0 })
  }
  // Empty categories stay in the legend but get no slice label.
  for (const d of data) if (!d.value) d.label = { show: false }
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['50%', '45%'],
        data,
        label: { formatter: '{b} {c}' },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        color: PALETTE,
      },
    ],
  }
}

export function describeCategories(categories, names) {
  return CATEGORIES.map((c) => `${names[c] || c} ${Number((categories || {})[c]) || 0}`).join('，')
}
