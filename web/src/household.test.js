import test from 'node:test'
import assert from 'node:assert/strict'
import { householdBody, householdForm, householdProblems, monthsOf } from './household.js'

test('a new form has the applicant and sends only the kinds with income', () => {
  const f = householdForm('王小梅', null)
  assert.equal(f.members[0].name, '王小梅')
  f.members[0].age = 46
  f.income[0].same = 800 // wages, every month
  f.income[3].byMonth = true // transfers, month by month
  f.income[3].months[11] = 300
  const b = householdBody(f)
  assert.deepEqual(b.income, [
    { kind: 'wages', monthly_yuan: Array(12).fill(800) },
    { kind: 'transfers', monthly_yuan: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 300] },
  ])
  assert.deepEqual(b.members, [{ name: '王小梅', relation: 'self', circumstances: [], age: 46 }])
  assert.equal(b.deposits_yuan, 0)
  assert.equal(b.has_capable_supporter, true)
})

test('the stored facts come back into the form unchanged', () => {
  const stored = {
    household: {
      members: [{ name: '李四', relation: 'self', age: 70, circumstances: ['elderly'] }],
      income: [{ kind: 'business', monthly_yuan: [100, 200, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100] }],
      deposits_yuan: 1234.5, housing_count: 1, vehicles: [{ value_yuan: 30000, sole_livelihood: true }],
      companies: [], medical_expense_yuan: 0, education_expense_yuan: 0, has_capable_supporter: false, sudden_hardship: true,
    },
  }
  const f = householdForm('ignored', stored)
  assert.equal(f.income[1].byMonth, true)
  assert.deepEqual(monthsOf(f.income[1]), stored.household.income[0].monthly_yuan)
  assert.deepEqual(householdBody(f), stored.household)
})

test('problems are named with the server field names', () => {
  const f = householdForm('', null)
  f.income[0].same = -5
  f.housing_count = 1.5
  const p = householdProblems(f)
  assert.equal(p['members[0].name'], 'valid.required')
  assert.equal(p['members[0].age'], 'valid.age')
  assert.equal(p['income.wages'], 'valid.number')
  assert.equal(p.housing_count, 'valid.number')
  f.members[0].name = '张三'
  f.members[0].age = 30
  f.income[0].same = 500
  f.housing_count = 1
  assert.deepEqual(householdProblems(f), {})
})
