// The household facts of the assessment form (综合评估) and the JSON the
// engine takes (engine/assessment/household_json.hpp). The form keeps income
// per kind either as one amount for every month or month by month; the
// engine always gets 12 monthly amounts per kind. The server computes
// everything (per-capita income, pool, programmes): this module only shapes
// and checks input.

export const CIRCUMSTANCES = ['serious_illness', 'severe_disability', 'single_parent', 'elderly', 'no_ability_to_work']
export const INCOME_KINDS = ['wages', 'business', 'property', 'transfers']

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function incomeRow(kind, monthly) {
  const months = Array.isArray(monthly) && monthly.length === 12 ? monthly.map(num) : Array(12).fill(null)
  const same = months.every((m) => m === months[0])
  return { kind, byMonth: !same, same: same ? months[0] : null, months }
}

// A form for the applicant alone, or the facts stored with the last assessment.
export function householdForm(applicantName, stored) {
  const h = stored && stored.household
  if (h && Array.isArray(h.members) && h.members.length) {
    const byKind = Object.fromEntries((h.income || []).map((l) => [l.kind, l.monthly_yuan]))
    return {
      members: h.members.map((m) => ({
        name: m.name || '',
        relation: m.relation || 'other',
        age: num(m.age) ?? (num(m.birth_year) != null ? new Date().getFullYear() - m.birth_year : null),
        circumstances: [...(m.circumstances || [])],
      })),
      income: INCOME_KINDS.map((k) => incomeRow(k, byKind[k])),
      deposits_yuan: num(h.deposits_yuan),
      housing_count: num(h.housing_count),
      vehicles: (h.vehicles || []).map((v) => ({ value_yuan: num(v.value_yuan), sole_livelihood: !!v.sole_livelihood })),
      companies: (h.companies || []).map((c) => ({ name: c.name || '', nominal: !!c.nominal })),
      medical_expense_yuan: num(h.medical_expense_yuan),
      education_expense_yuan: num(h.education_expense_yuan),
      has_capable_supporter: h.has_capable_supporter !== false,
      sudden_hardship: !!h.sudden_hardship,
    }
  }
  return {
    members: [{ name: applicantName || '', relation: 'self', age: null, circumstances: [] }],
    income: INCOME_KINDS.map((k) => incomeRow(k, null)),
    deposits_yuan: null,
    housing_count: null,
    vehicles: [],
    companies: [],
    medical_expense_yuan: null,
    education_expense_yuan: null,
    has_capable_supporter: true,
    sudden_hardship: false,
  }
}

// The 12 monthly amounts of one income row (blank counts as 0).
export function monthsOf(row) {
  return row.byMonth ? row.months.map((m) => num(m) ?? 0) : Array(12).fill(num(row.same) ?? 0)
}

// The request body's "assessment": kinds with no income are left out.
export function householdBody(form) {
  const income = []
  for (const row of form.income) {
    const months = monthsOf(row)
    if (months.some((m) => m !== 0)) income.push({ kind: row.kind, monthly_yuan: months })
  }
  const body = {
    members: form.members.map((m) => {
      const out = { name: String(m.name || '').trim(), relation: m.relation, circumstances: [...m.circumstances] }
      if (num(m.age) != null) out.age = m.age
      return out
    }),
    income,
    deposits_yuan: num(form.deposits_yuan) ?? 0,
    housing_count: num(form.housing_count) ?? 0,
    vehicles: form.vehicles.map((v) => ({ value_yuan: num(v.value_yuan) ?? 0, sole_livelihood: !!v.sole_livelihood })),
    companies: form.companies.map((c) => ({ name: String(c.name || '').trim(), nominal: !!c.nominal })),
    medical_expense_yuan: num(form.medical_expense_yuan) ?? 0,
    education_expense_yuan: num(form.education_expense_yuan) ?? 0,
    has_capable_supporter: !!form.has_capable_supporter,
    sudden_hardship: !!form.sudden_hardship,
  }
  return body
}

// Checks before sending; {field: message key}. Field names are the server's
// (members[0].age, income[2].monthly_yuan, ...) so server errors land in the same places.
export function householdProblems(form) {
  const e = {}
  if (!form.members.length) e.members = 'valid.membersRequired'
  form.members.forEach((m, i) => {
    if (!String(m.name || '').trim()) e[`members[${i}].name`] = 'valid.required'
    if (!(Number.isInteger(m.age) && m.age >= 0 && m.age <= 130)) e[`members[${i}].age`] = 'valid.age'
  })
  form.income.forEach((row, i) => {
    const values = row.byMonth ? row.months : [row.same]
    if (values.some((v) => v != null && !(num(v) != null && v >= 0))) e[`income.${row.kind}`] = 'valid.number'
  })
  for (const k of ['deposits_yuan', 'medical_expense_yuan', 'education_expense_yuan']) {
    if (form[k] != null && !(num(form[k]) != null && form[k] >= 0)) e[k] = 'valid.number'
  }
  if (form.housing_count != null && !(Number.isInteger(form.housing_count) && form.housing_count >= 0)) {
    e.housing_count = 'valid.number'
  }
  return e
}
