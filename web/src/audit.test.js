import test from 'node:test'
import assert from 'node:assert/strict'
import {
  activeCredit, addDays, eventAuditItem, beijingToday, categoriesOption, decisionEvents, defaultPeriod, defaultStatsPeriod, describeCategories,
  describePassRate, factRows, isAuditor, isPostAuditKind, itemSteps, monthsBefore, passRateOption, passRateSeries, percentText,
  postAuditWork, rateText, sampleBody, statsTotals, stratumLabel, unitNamesFromItems, validateSample,
} from './audit.js'

test('only auditors see the audit page', () => {
  assert.equal(isAuditor({ roles: [{ role: 'auditor', org_unit: '640202' }] }), true)
  assert.equal(isAuditor({ roles: [{ role: 'street_reviewer' }, { role: 'auditor' }] }), true)
  assert.equal(isAuditor({ roles: [{ role: 'district_approver' }] }), false)
  assert.equal(isAuditor({}), false)
  assert.equal(isAuditor(null), false)
})

test('post-audit task kinds', () => {
  for (const k of ['post_audit', 'post_audit_reverify', 'post_audit_decision']) assert.equal(isPostAuditKind(k), true)
  assert.equal(isPostAuditKind('approval'), false)
  assert.equal(isPostAuditKind('toString'), false)
})

test('dates: Beijing today, month arithmetic, default periods', () => {
  // 2026-11-23 19:30 UTC is already 24 November in Beijing.
  assert.equal(beijingToday(new Date('2026-11-23T19:30:00Z')), '2026-11-24')
  assert.equal(beijingToday(new Date('2026-11-23T15:59:00Z')), '2026-11-23')
  assert.equal(monthsBefore('2026-03-31', 1), '2026-02-28')
  assert.equal(monthsBefore('2024-03-31', 1), '2024-02-29')
  assert.equal(monthsBefore('2026-01-15', 1), '2025-12-15')
  assert.equal(monthsBefore('2026-01-15', 13), '2024-12-15')
  assert.equal(monthsBefore('nonsense', 1), '')
  assert.equal(addDays('2026-12-31', 1), '2027-01-01')
  assert.deepEqual(defaultPeriod('2026-11-24'), { from: '2026-10-24', to: '2026-11-25' })
  assert.deepEqual(defaultStatsPeriod('2026-11-24'), { from: '2026-06-01', to: '2026-11-25' })
  assert.deepEqual(defaultStatsPeriod('2026-03-10'), { from: '2025-10-01', to: '2026-03-11' })
})

test('rate as text', () => {
  assert.equal(rateText(1000), '10%')
  assert.equal(rateText(250), '2.5%')
  assert.equal(rateText(10000), '100%')
  assert.equal(rateText('x'), '')
})

test('sample form: validation and request body', () => {
  const form = {
    period_from: '2026-10-24', period_to: '2026-11-25', rate_percent: 10, strata: ['street', 'district'],
    minimum_per_stratum: 1, always_include_flagged: true, programmes: [],
  }
  assert.deepEqual(validateSample(form), {})
  assert.deepEqual(sampleBody(form), {
    period_from: '2026-10-24', period_to: '2026-11-25', rate: '10%', strata: ['district', 'street'],
    minimum_per_stratum: 1, always_include_flagged: true,
  })
  assert.deepEqual(sampleBody({ ...form, programmes: ['dibao'], rate_percent: 7.5, minimum_per_stratum: null }).rate, '7.5%')
  assert.deepEqual(sampleBody({ ...form, programmes: ['dibao'] }).programmes, ['dibao'])
  assert.equal(sampleBody({ ...form, minimum_per_stratum: null }).minimum_per_stratum, 0)
  assert.deepEqual(Object.keys(validateSample({ ...form, period_to: '2026-10-24' })), ['period_to'])
  assert.deepEqual(Object.keys(validateSample({ ...form, period_from: '' })), ['period_from'])
  assert.deepEqual(Object.keys(validateSample({ ...form, rate_percent: 0 })), ['rate'])
  assert.deepEqual(Object.keys(validateSample({ ...form, rate_percent: 120 })), ['rate'])
  assert.deepEqual(Object.keys(validateSample({ ...form, rate_percent: null })), ['rate'])
  assert.deepEqual(Object.keys(validateSample({ ...form, minimum_per_stratum: 1.5 })), ['minimum_per_stratum'])
})

test('strata in words', () => {
  const items = [{ street: { id: '640202100', name: '星海镇' }, district: { id: '640202', name: '大武口区' } }]
  const names = unitNamesFromItems(items)
  assert.deepEqual(names, { 640202100: '星海镇', 640202: '大武口区' })
  const nameOf = (dim, v) => (dim === 'street' || dim === 'district' ? names[v] || v : `${dim}:${v}`)
  assert.equal(stratumLabel({ key: ['640202', '640202100'], label: 'x' }, ['district', 'street'], nameOf), '大武口区 · 星海镇')
  assert.equal(stratumLabel({ key: ['chen.jing'] }, ['approver'], nameOf), 'approver:chen.jing')
  assert.equal(stratumLabel({ key: [], label: 'all' }, [], nameOf), 'all')
  assert.equal(stratumLabel({ label: 'street=1' }, ['street'], nameOf), 'street=1')
})

test('item steps follow the status', () => {
  assert.deepEqual(itemSteps({ status: 'pending' }).map((s) => [s.step, s.done]), [['sampled', true], ['finding', false]])
  assert.deepEqual(
    itemSteps({ status: 'confirmed', found_at: '2026-11-23T10:00:00Z', found_by: 'zhou.min' }).map((s) => [s.step, s.done, s.by]),
    [['sampled', true, ''], ['finding', true, 'zhou.min']],
  )
  const revoked = itemSteps({
    status: 'revoked', found_at: 'a', found_by: 'zhou.min', reverified_at: 'b', reverified_by: 'li.na', decided_at: 'c', decided_by: 'wei.dong',
  })
  assert.deepEqual(revoked.map((s) => [s.step, s.done, s.by]), [
    ['sampled', true, ''], ['finding', true, 'zhou.min'], ['reverification', true, 'li.na'], ['decision', true, 'wei.dong'],
  ])
  assert.deepEqual(itemSteps({ status: 'reverifying', found_at: 'a' }).map((s) => s.done), [true, true, false, false])
  assert.deepEqual(itemSteps(null), [])
})

test('active credit records', () => {
  assert.deepEqual(activeCredit([{ id: 1, active: true }, { id: 2, active: false }, null]), [{ id: 1, active: true }])
  assert.deepEqual(activeCredit(undefined), [])
})

test('the post-audit work of the signed-in user on a case', () => {
  const kase = {
    tasks: [
      { id: '1', kind: 'approval', state: 'open', role: 'district_approver' },
      { id: '2', kind: 'post_audit', state: 'done', role: 'auditor' },
      { id: '3', kind: 'post_audit_reverify', state: 'open', role: 'street_reviewer' },
      { id: '4', kind: 'post_audit_decision', state: 'open', role: 'district_approver' },
    ],
    post_audit: [
      { id: 'i1', task_id: '3', status: 'reverifying' },
      { id: 'i2', task_id: '4', status: 'awaiting_decision' },
    ],
  }
  const all = () => true
  assert.deepEqual(postAuditWork(kase, all), { task: kase.tasks[2], item: kase.post_audit[0], form: 'reverification' })
  assert.equal(postAuditWork(kase, all, '4').form, 'decision')
  assert.equal(postAuditWork(kase, (t) => t.role === 'district_approver').item.id, 'i2')
  assert.equal(postAuditWork(kase, (t) => t.role === 'auditor'), null) // its task is done
  // A task without its item in the list is not offered.
  assert.equal(postAuditWork({ ...kase, post_audit: [] }, all), null)
  // Ids may come as numbers.
  assert.equal(postAuditWork({ ...kase, post_audit: [{ id: 'i3', task_id: 3 }] }, all).item.id, 'i3')
  assert.equal(postAuditWork(null, all), null)
})

test('decision events and the facts they were taken on', () => {
  const tl = [
    { seq: 9, action: 'revoke' }, { seq: 2, action: 'assess' }, { seq: 5, action: 'approve' }, { seq: 6, action: 'send_back' },
  ]
  assert.deepEqual(decisionEvents([...tl, { seq: 8, action: 'post_audit_decision' }, { seq: 7, action: 'post_audit_finding' }]).map((e) => e.seq), [5, 6, 8, 9])
  // The item a decision acted on; ids may be numbers in payloads and strings in lists.
  const items = [{ id: '383336145874071552' }, { id: '2' }]
  assert.equal(eventAuditItem({ payload: { post_audit_item: '383336145874071552' } }, items), items[0])
  // As JSON.parse hands it over: rounded to 383336145874071550.
  assert.equal(eventAuditItem(JSON.parse('{"payload":{"post_audit_item":383336145874071552}}'), items), items[0])
  // Two items rounding to the same double: no guess.
  const twins = [{ id: '383336145878265856' }, { id: '383336145878265858' }]
  assert.equal(eventAuditItem(JSON.parse('{"payload":{"item":383336145878265856}}'), twins), null)
  assert.equal(eventAuditItem({ payload: { item: '383336145878265858' } }, twins), twins[1])
  assert.equal(eventAuditItem({ payload: { item: 2 } }, items), items[1])
  assert.equal(eventAuditItem({ payload: { item: 3 } }, items), null)
  assert.equal(eventAuditItem({ payload: {} }, items), null)
  assert.equal(eventAuditItem(null, items), null)
  assert.deepEqual(decisionEvents(tl).map((e) => e.seq), [5, 6, 9])
  const rows = factRows({
    route: 'fast_track',
    pool: 'general',
    assessment: {
      per_capita_monthly_yuan: 1250, annual_income_yuan: 59000, assets_yuan: 0, dibao_line_monthly_yuan: 790,
      members: [{ name: '杨建国' }, { name: '刘涛' }], reason: '一般库',
    },
    pledge: { signed: true, signer_name: '杨建国', signed_at: '2026-11-21T00:20:44Z' },
  })
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]))
  assert.equal(byKey.route.value, 'fast_track')
  assert.equal(byKey.pool.value, 'general')
  assert.equal(byKey.perCapita.value, 1250)
  assert.equal(byKey.assets.value, 0)
  assert.equal(byKey.members.value, 2)
  assert.deepEqual(byKey.members.names, ['杨建国', '刘涛'])
  assert.equal(byKey.pledge.value, true)
  assert.equal(byKey.pledge.signer, '杨建国')
  assert.equal(byKey.lowIncomeLine, undefined) // not stored: left out
  // The calculator's record: money as {fen, yuan}, nested.
  const nested = factRows({
    route: 'fast_track',
    pool: 'relief',
    assessment: {
      pool: 'relief',
      reasons: ['人均收入低于低保标准', '重病'],
      standards: { dibao_line_monthly: { fen: 79000, yuan: '790.00' }, low_income_line_monthly: { fen: 118500, yuan: '1185.00' } },
      income: { per_capita_monthly: { fen: 32050, yuan: '320.50' }, medical_expense: { fen: 3000000, yuan: '30000.00' } },
      household: { members: [{ name: '王小梅' }, { name: '李强' }] },
    },
  })
  const nestedByKey = Object.fromEntries(nested.map((r) => [r.key, r.value]))
  assert.equal(nestedByKey.perCapita, 320.5)
  assert.equal(nestedByKey.dibaoLine, 790)
  assert.equal(nestedByKey.lowIncomeLine, 1185)
  assert.equal(nestedByKey.medical, 30000)
  assert.equal(nestedByKey.members, 2)
  assert.equal(nestedByKey.reason, '人均收入低于低保标准；重病')
  assert.deepEqual(factRows(null), [])
  assert.deepEqual(factRows({ route: 'ordinary', pledge: null }).map((r) => [r.key, r.value]), [['route', 'ordinary'], ['pledge', false]])
  // Pool from the assessment when the facts have none; odd members are tolerated.
  assert.equal(factRows({ assessment: { pool: 'relief', members: 'x' } })[0].value, 'relief')
})

test('percent and totals', () => {
  assert.equal(percentText(0.9), '90%')
  assert.equal(percentText(1 / 3), '33.3%')
  assert.equal(percentText(0), '0%')
  assert.equal(percentText(null), '—')
  const t = statsTotals([{ sampled: 3, finished: 2, passed: 1, discrepancies: 1, revoked: 1 }, { sampled: 1, finished: 2, passed: 2 }])
  assert.deepEqual(t, { sampled: 4, finished: 4, passed: 3, discrepancies: 1, revoked: 1, pass_rate: 0.75 })
  assert.equal(statsTotals([]).pass_rate, null)
})

const ROWS = [
  { org_unit: { id: 'a', name: '大武口区' }, month: '2026-11', sampled: 10, finished: 10, passed: 9, pass_rate: 0.9 },
  { org_unit: { id: 'a', name: '大武口区' }, month: '2026-09', sampled: 10, finished: 10, passed: 3, pass_rate: 0.3 },
  { org_unit: { id: 'b', name: '惠农区' }, month: '2026-11', sampled: 2, finished: 0, passed: 0, pass_rate: null },
]

test('pass-rate chart: months sorted, one series per unit, gaps where nothing is finished', () => {
  const { months, series } = passRateSeries(ROWS)
  assert.deepEqual(months, ['2026-09', '2026-11'])
  assert.deepEqual(series.map((s) => [s.unit.name, s.values]), [['大武口区', [30, 90]], ['惠农区', [null, null]]])
  const o = passRateOption(ROWS)
  assert.deepEqual(o.xAxis.data, months)
  assert.equal(o.yAxis.max, 100)
  assert.deepEqual(o.series.map((s) => s.data), [[30, 90], [null, null]])
  assert.equal(o.series[0].label.formatter({ value: 0 }), '0%')
  assert.equal(o.series[1].label.formatter({ value: null }), '')
  assert.equal(describePassRate(ROWS), '大武口区 2026-09 30%，大武口区 2026-11 90%')
  assert.deepEqual(passRateOption([]).series, [])
})

test('categories chart', () => {
  const names = { undeclared_income: '隐瞒收入', assets: '资产', household_members: '家庭成员', other: '其他' }
  const o = categoriesOption({ assets: 2, undeclared_income: 1, other: 0, household_members: 0 }, names)
  assert.deepEqual(o.series[0].data.map((d) => [d.name, d.value]), [['隐瞒收入', 1], ['资产', 2], ['家庭成员', 0], ['其他', 0]])
  assert.deepEqual(o.series[0].data.map((d) => !d.label || d.label.show !== false), [true, true, false, false])
  assert.equal(describeCategories({ assets: 2 }, names), '隐瞒收入 0，资产 2，家庭成员 0，其他 0')
  // A category the page does not know yet still appears.
  assert.equal(categoriesOption({ vehicles: 1 }, names).series[0].data.at(-1).name, 'vehicles')
})
