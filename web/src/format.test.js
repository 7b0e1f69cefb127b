import test from 'node:test'
import assert from 'node:assert/strict'
import { formatDate, formatDateTime, urgency } from './format.js'

test('times are shown on Beijing time', () => {
  assert.equal(formatDate('2026-10-16T15:59:59.999999Z'), '2026-10-16')
  assert.equal(formatDate('2026-10-16T16:00:00.000001Z'), '2026-10-17')
  assert.equal(formatDateTime('2026-10-15T00:10:53.538557Z'), '2026-10-15 08:10')
  assert.equal(formatDateTime('2026-10-15T00:10:53.538557Z', true), '2026-10-15 08:10:53')
  assert.equal(formatDateTime(''), '')
})

test('urgency', () => {
  assert.equal(urgency({ state: 'open', overdue: true, working_days_left: -3 }), 'overdue')
  assert.equal(urgency({ state: 'claimed', overdue: false, working_days_left: 2 }), 'soon')
  assert.equal(urgency({ state: 'open', overdue: false, working_days_left: 3 }), '')
  assert.equal(urgency({ state: 'done', overdue: false, working_days_left: 0 }), '')
})
