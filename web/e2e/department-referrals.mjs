// 转介 and 帮扶反馈 in the browser: chen.jing refers an approved case with the catalogue's
// proposals (pre-selected, with reasons), then he.ping (大武口区残联) answers the referral from
// the department's referral inbox; a refusal without a reason is stopped in place.
import { apiAs, assert, confirmBox, fill, makeIdNumber, newPage, scenario, shot, signInUi, signOutUi, step } from './lib.mjs'

const VILLAGE = '640202100001' // 星光村
const NAME = '转介测试'

await scenario('department-referrals', async ({ base, browser }) => {
  step('li.na prepares an approved case of a severely disabled applicant through the API')
  const li = await apiAs(base, 'li.na')
  const chen = await apiAs(base, 'chen.jing')
  const made = await li.post('/api/v1/cases', {
    programme: 'dibao', id_number: makeIdNumber('640202', '19740909', 63), applicant_name: NAME, village: VILLAGE,
  })
  const id = made.case.id
  let v = made.case.version
  v = (await li.post(`/api/v1/cases/${id}/accept`, { version: v })).case.version
  v = (await li.post(`/api/v1/cases/${id}/assess`, {
    version: v,
    assessment: {
      members: [{ name: NAME, relation: 'self', age: 52, circumstances: ['severe_disability'] }, { name: '配偶', relation: 'spouse', age: 50 }],
      income: [{ kind: 'wages', monthly_yuan: Array(12).fill(1000) }],
    },
  })).case.version
  v = (await li.post(`/api/v1/cases/${id}/pledge`, { version: v, pledge: { signed: true, signer_name: NAME, statement: '承诺' } })).case.version
  const approved = await chen.post(`/api/v1/cases/${id}/approve`, { version: v })
  assert(approved.case.state === 'refer', 'the case waits for referral')

  step('chen.jing sees the proposals pre-selected and refers')
  const page = await newPage(browser)
  await signInUi(page, base, 'chen.jing')
  await page.goto(`${base}/cases/${id}`)
  await page.locator('[data-test=decision-refer]').click()
  await page.locator('[data-test=proposals-hint]').waitFor()
  const proposals = await chen.get(`/api/v1/cases/${id}/referral-proposals`)
  assert(proposals.items.some((p) => p.department === 'canlian'), 'the API proposes 残联')
  await page.locator('[data-test=referral-item][data-department=canlian]').waitFor()
  assert((await page.locator('[data-test=referral-item]').count()) === proposals.items.length, 'every proposed department is pre-selected')
  const nursing = page.locator('[data-test=policy-canlian_nursing_subsidy]')
  assert((await nursing.locator('input').isChecked()), 'its policies are ticked')
  assert((await page.locator('[data-test=referral-item][data-department=canlian]').innerText()).includes('家庭成员重度残疾'), 'with the reason')
  await page.locator('[data-test=policy-canlian_rehabilitation]').click() // not this one
  await shot(page, 'referral-proposals')
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  await page.locator('[data-test=timeline-item][data-action=refer]').waitFor()
  const referred = await chen.get(`/api/v1/cases/${id}`)
  const canlian = referred.referrals.find((r) => r.department === 'canlian')
  assert(canlian && canlian.status === 'pending', 'a pending 残联 referral')
  assert(canlian.policies.map((p) => p.code).sort().join() === 'canlian_living_subsidy,canlian_nursing_subsidy', `the chosen policies: ${JSON.stringify(canlian.policies)}`)
  await signOutUi(page)

  step('he.ping finds it in the 残联 referral inbox with its deadline')
  await signInUi(page, base, 'he.ping')
  await page.locator('[data-test=nav-referrals]').click()
  await page.locator('[data-test=referrals]').waitFor()
  const row = page.locator('[data-test=referral-table] tbody tr', { hasText: NAME })
  await row.waitFor()
  assert((await row.innerText()).includes('重度残疾人护理补贴'), 'the policies asked for are shown')
  // Due at 23:59:59 Beijing time, which is the same calendar day in UTC.
  const due = (await row.locator('[data-test=referral-due]').innerText()).trim()
  assert(due === canlian.due_at.slice(0, 10), `the deadline is shown: ${due} vs ${canlian.due_at}`)
  await shot(page, 'referral-inbox')

  step('a refusal needs a reason')
  await row.locator('[data-test=answer-referral]').click()
  await page.locator('[data-test=answer-dialog]').waitFor()
  await page.locator('[data-test=answer-declined]').click()
  await page.locator('[data-test=answer-submit]').click()
  await page.locator('.el-form-item__error', { hasText: '请说明原因' }).waitFor()

  step('he.ping records the help provided')
  await page.locator('[data-test=answer-provided]').click()
  await fill(page, 'answer-details', '重度残疾人护理补贴每月 100 元，已发放')
  await fill(page, 'answer-amount', 1200)
  await page.locator('[data-test=answer-submit]').click()
  await page.locator('.el-message--success', { hasText: '已反馈' }).first().waitFor()
  await page.locator('[data-test=referral-table] tbody tr', { hasText: NAME }).waitFor({ state: 'detached' })
  await page.locator('[data-test=tab-answered]').click()
  const done = page.locator('[data-test=referral-table] tbody tr', { hasText: NAME })
  await done.waitFor()
  assert((await done.innerText()).includes('已落实帮扶'), 'listed as answered')
  await shot(page, 'referral-answered')

  const after = await chen.get(`/api/v1/cases/${id}`)
  const answered = after.referrals.find((r) => r.department === 'canlian')
  assert(answered.status === 'answered' && answered.answer === 'provided', 'the referral is answered')
  assert(answered.answer_detail.amount_yuan === 1200, 'with the amount')
  assert(after.state === 'feedback', 'the case waits for the other departments')
  assert(after.timeline.some((e) => e.action === 'feedback' && e.actor === 'he.ping'), 'the answer is in the trail')
  assert(page.jzErrors.length === 0, `no script errors: ${page.jzErrors}`)
})
