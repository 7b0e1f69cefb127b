import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  alertErrorMessage, alertEventParts, alertForTask, canSeeAlerts, decisionsForTask, fenToYuan, hasAmount, mergeAlerts, statusQuery, statusTagType,
} from './alerts.js'

test('canSeeAlerts: street, district, supervisors and auditors; not villages, departments or feeds', () => {
  const as = (role) => ({ roles: [{ role, org_unit: 'x' }] })
  for (const r of ['street_reviewer', 'district_approver', 'district_supervisor', 'city_supervisor', 'auditor']) {
    assert.equal(canSeeAlerts(as(r)), true, r)
  }
  for (const r of ['village_officer', 'department_handler', 'data_feed']) assert.equal(canSeeAlerts(as(r)), false, r)
  assert.equal(canSeeAlerts(null), false)
  assert.equal(canSeeAlerts({}), false)
  assert.equal(canSeeAlerts({ roles: [null, { role: 'village_officer' }, { role: 'auditor' }] }), true)
})

test('statusQuery: known statuses pass, "all" and unknown send none', () => {
  assert.equal(statusQuery('unmatched'), 'unmatched')
  assert.equal(statusQuery('below_threshold'), 'below_threshold')
  assert.equal(statusQuery('all'), '')
  assert.equal(statusQuery(''), '')
  assert.equal(statusQuery('bogus'), '')
  assert.equal(statusTagType('malformed'), 'danger')
  assert.equal(statusTagType('unmatched'), 'warning')
  assert.equal(statusTagType('nope'), 'info')
})

test('decisionsForTask: an alert review offers reassess and no_change, others the stage’s', () => {
  assert.deepEqual(decisionsForTask({ kind: 'alert_review', stage: 'monitor' }, ['reassess', 'close']), ['reassess', 'no_change'])
  assert.deepEqual(decisionsForTask({ kind: 'revisit', stage: 'monitor' }, ['reassess', 'close']), ['reassess', 'close'])
  assert.deepEqual(decisionsForTask({ kind: 'intake' }, undefined), [])
  assert.deepEqual(decisionsForTask(null, ['accept']), ['accept'])
})

test('alertForTask: the alert whose task_id is the task (ids as strings or numbers)', () => {
  const alerts = [{ id: '1', task_id: null }, { id: '2', task_id: '77' }, { id: '3', task_id: '78' }]
  assert.equal(alertForTask(alerts, '78').id, '3')
  assert.equal(alertForTask(alerts, 77).id, '2')
  assert.equal(alertForTask(alerts, '79'), null)
  assert.equal(alertForTask(alerts, ''), null)
  assert.equal(alertForTask(null, '77'), null)
})

test('amounts: 0 from the API is no amount; fen to yuan', () => {
  assert.equal(hasAmount({ amount_yuan: 0 }), false)
  assert.equal(hasAmount({ amount_yuan: 25000.5 }), true)
  assert.equal(hasAmount(null), false)
  assert.equal(fenToYuan(2500050), 25000.5)
  assert.equal(fenToYuan(undefined), null)
  assert.equal(fenToYuan('x'), null)
})

test('alertEventParts: kind name, source, details and amount of an alert event', () => {
  const p = alertEventParts({
    alert: 123, source: 'yibao', kind: 'large_medical_expense', kind_name: '大额医疗支出',
    occurred_at: '2026-11-20T00:00:00Z', details: '住院', amount_fen: 3200000,
  })
  assert.deepEqual(p, {
    alertId: '123', kindCode: 'large_medical_expense', kindName: '大额医疗支出', source: 'yibao',
    occurredAt: '2026-11-20T00:00:00Z', details: '住院', amountYuan: 32000,
  })
  const bare = alertEventParts({ kind: 'death' })
  assert.equal(bare.kindName, 'death')
  assert.equal(bare.amountYuan, null)
  assert.equal(alertEventParts(null).source, '')
})

test('mergeAlerts: appends a page without repeating alerts', () => {
  const merged = mergeAlerts([{ id: '5' }, { id: '4' }], [{ id: '4' }, { id: '3' }])
  assert.deepEqual(merged.map((a) => a.id), ['5', '4', '3'])
  assert.deepEqual(mergeAlerts(undefined, [{ id: '1' }]).map((a) => a.id), ['1'])
})

test('alertErrorMessage: the server’s known sentences become message keys, others stay as written', () => {
  assert.equal(alertErrorMessage({ status: 'matched', error: '' }), null)
  assert.equal(alertErrorMessage(null), null)
  assert.deepEqual(alertErrorMessage({ status: 'unmatched', error: 'no open case for this ID number' }), { key: 'alerts.errors.unmatched', params: {} })
  assert.deepEqual(alertErrorMessage({ status: 'below_threshold', error: 'amount below the dibao threshold of 10000 yuan' }), {
    key: 'alerts.errors.belowThreshold', params: { programme: 'dibao', threshold: 10000 },
  })
  assert.deepEqual(alertErrorMessage({ status: 'below_threshold', error: 'something else' }), { raw: 'something else' })
  assert.deepEqual(alertErrorMessage({ status: 'malformed', error: 'amount_yuan: amount_yuan is required for large_medical_expense' }), {
    key: 'alerts.errors.malformed', params: { field: 'amount_yuan', message: 'amount_yuan is required for large_medical_expense' },
  })
  assert.deepEqual(alertErrorMessage({ status: 'malformed', error: 'unreadable' }), { raw: 'unreadable' })
})
