import test from 'node:test'
import assert from 'node:assert/strict'
import {
  badgeText, boardLocation, chartChildren, childrenBarOption, decisionRows, decisionVerdict, describeSeries, escalationTag,
  exportFallbackName, isSupervisor, markAllRead, markOneRead, mergePage, notificationTarget, overdueRate, shiftDate,
  trendLineOption, workingDays,
} from './board.js'

test('only supervisors see the board', () => {
  assert.equal(isSupervisor({ roles: [{ role: 'district_supervisor', org_unit: '640202' }] }), true)
  assert.equal(isSupervisor({ roles: [{ role: 'street_reviewer' }, { role: 'city_supervisor' }] }), true)
  assert.equal(isSupervisor({ roles: [{ role: 'district_approver' }] }), false)
  assert.equal(isSupervisor({ roles: [] }), false)
  assert.equal(isSupervisor({}), false)
  assert.equal(isSupervisor(null), false)
})

test('load more appends without repeating rows', () => {
  const a = [{ task_id: '1' }, { task_id: '2' }]
  assert.deepEqual(mergePage(a, [{ task_id: '2' }, { task_id: '3' }]).map((x) => x.task_id), ['1', '2', '3'])
  assert.deepEqual(mergePage(a, null), a)
  assert.deepEqual(mergePage([{ id: 'n1' }], [{ id: 'n1' }, { id: 'n2' }], 'id').map((x) => x.id), ['n1', 'n2'])
})

test('overdue rate', () => {
  assert.equal(overdueRate(0, 0), '')
  assert.equal(overdueRate(10, 0), '0%')
  assert.equal(overdueRate(8, 1), '13%')
  assert.equal(overdueRate(200, 5), '2.5%')
  assert.equal(overdueRate(3, 3), '100%')
})

test('decision times against the 30/10 working-day promise', () => {
  const ord = { unit_id: 'a', route: 'ordinary', cases: 4, median_working_days: 22, p90_working_days: 29.5, promise_working_days: 30 }
  assert.equal(decisionVerdict(ord), 'ok')
  assert.equal(decisionVerdict({ ...ord, p90_working_days: 31 }), 'risk')
  assert.equal(decisionVerdict({ ...ord, median_working_days: 30.5, p90_working_days: 40 }), 'late')
  assert.equal(decisionVerdict({ ...ord, median_working_days: 30, p90_working_days: 30 }), 'ok') // on the promise is on time
  assert.equal(decisionVerdict({ ...ord, cases: 0 }), '')
  const fast = { unit_id: 'a', route: 'fast_track', cases: 2, median_working_days: 11, p90_working_days: 12, promise_working_days: 10 }
  assert.equal(decisionVerdict(fast), 'late')

  const rows = decisionRows([
    fast,
    { ...ord, unit_id: 'b', unit_name: 'B' },
    ord,
    { ...fast, unit_id: 'b' },
  ])
  assert.deepEqual(rows.map((r) => `${r.unit_id}:${r.route}:${r.first}:${r.verdict}`), [
    'a:ordinary:true:ok', 'a:fast_track:false:late', 'b:ordinary:true:ok', 'b:fast_track:false:late',
  ])
  assert.deepEqual(decisionRows(undefined), [])
})

test('working days and dates', () => {
  assert.equal(workingDays(12), '12')
  assert.equal(workingDays(12.25), '12.3')
  assert.equal(workingDays(null), '')
  assert.equal(workingDays('x'), '')
  assert.equal(shiftDate('2026-03-01', 1), '2026-02-28')
  assert.equal(shiftDate('2024-03-01', 1), '2024-02-29')
  assert.equal(shiftDate('2026-11-23', 90), '2026-08-25')
  assert.equal(shiftDate('2026-12-31', -1), '2027-01-01')
  assert.equal(shiftDate('bad', 1), '')
})

test('escalation levels', () => {
  assert.deepEqual(escalationTag(0), { type: 'info', key: 'board.escalation.0', level: 0 })
  assert.equal(escalationTag(1).type, 'warning')
  assert.equal(escalationTag(2).type, 'danger')
  assert.equal(escalationTag(3).key, 'board.escalation.3')
  assert.equal(escalationTag(7).level, 3)
  assert.equal(escalationTag(undefined).level, 0)
})

test('the unit lives in the URL', () => {
  assert.deepEqual(boardLocation('640202100'), { name: 'board', query: { unit: '640202100' } })
  assert.deepEqual(boardLocation(''), { name: 'board' })
})

test('export file names', () => {
  assert.equal(exportFallbackName('csv', '大武口区', '2026-11-23'), '逾期任务-大武口区-2026-11-23.csv')
  assert.equal(exportFallbackName('xlsx', 'a/b c', ''), '逾期任务-a_b_c.xlsx')
  assert.equal(exportFallbackName('anything', '', ''), '逾期任务.csv')
})

test('bar chart: most overdue first, both series aligned with the names', () => {
  const rows = chartChildren([
    { id: '1', name: '长胜街道', overdue: 1, due_soon: 5 },
    { id: '2', name: '星海镇', overdue: 4, due_soon: 0 },
    { id: '3', name: '朝阳街道', overdue: 1, due_soon: 7 },
  ])
  assert.deepEqual(rows.map((r) => r.id), ['2', '3', '1'])
  const o = childrenBarOption(rows, { overdue: '逾期', dueSoon: '即将到期' })
  assert.deepEqual(o.xAxis.data, ['星海镇', '朝阳街道', '长胜街道'])
  assert.deepEqual(o.series[0].data, [4, 1, 1])
  assert.deepEqual(o.series[1].data, [0, 7, 5])
  assert.equal(o.series[0].name, '逾期')
  assert.deepEqual(chartChildren(undefined), [])
})

test('trend chart: one point per week, oldest first as sent', () => {
  const o = trendLineOption([{ date: '2026-11-15', overdue: 3 }, { date: '2026-11-22', overdue: 5 }], { overdue: '逾期' })
  assert.deepEqual(o.xAxis.data, ['11-15', '11-22'])
  assert.deepEqual(o.series[0].data, [3, 5])
  assert.equal(o.series[0].type, 'line')
  assert.equal(describeSeries(['a', 'b'], [1]), 'a 1，b 0')
})

test('bell badge', () => {
  assert.equal(badgeText(0), '')
  assert.equal(badgeText(undefined), '')
  assert.equal(badgeText(7), '7')
  assert.equal(badgeText(99), '99')
  assert.equal(badgeText(100), '99+')
})

test('a notification opens its case', () => {
  assert.deepEqual(notificationTarget({ case_id: '123', task_id: '456' }), { name: 'case', params: { id: '123' }, query: { task: '456' } })
  assert.deepEqual(notificationTarget({ case_id: '123' }), { name: 'case', params: { id: '123' } })
  assert.equal(notificationTarget({ case_id: null }), null)
  assert.equal(notificationTarget({ case_id: '../x' }), null)
})

test('marking read', () => {
  const state = { items: [{ id: 'a', read: false }, { id: 'b', read: true }, { id: 'c', read: false }], unread: 2 }
  const one = markOneRead(state, 'a')
  assert.deepEqual(one.items.map((n) => n.read), [true, true, false])
  assert.equal(one.unread, 1)
  assert.equal(state.items[0].read, false, 'the old list is not changed')
  assert.equal(markOneRead(one, 'a').unread, 1, 'marking a read one again changes nothing')
  assert.equal(markOneRead(state, 'zzz').unread, 2)
  const all = markAllRead(state)
  assert.equal(all.unread, 0)
  assert.ok(all.items.every((n) => n.read))
})
