// Approvers at work:
//  1. li.na (street reviewer, 星海镇) finds a new intake task in 待认领, claims it, is stopped
//     by the form's own validation, meets a stale-version conflict without losing what she
//     typed, decides it, and sees it leave the inbox and enter the case timeline.
//  2. chen.jing (district approver, 大武口区) approves a fast-track case that was prepared
//     through the API (discover → accept → assess → pledge).
//  3. zhao.lei (street reviewer of another street, 长胜街道) cannot open that case.
import {
  apiAs, assert, choose, confirmBox, failNext, fill, makeIdNumber, newPage, recordRequests, scenario, shot, signInUi, signOutUi, step,
} from './lib.mjs'

const VILLAGE = '640202100001' // 星光村, under 星海镇

async function findRow(page, taskId) {
  const row = page.locator(`[data-test=inbox-table] tr:has([data-task="${taskId}"])`)
  for (let i = 0; i < 20; i++) {
    if (await row.count()) return row
    const more = page.locator('[data-test=load-more]')
    if (!(await more.count())) break
    await more.click()
    await page.waitForTimeout(300)
  }
  throw new Error(`task ${taskId} is not in the inbox`)
}

async function waitInboxLoaded(page) {
  await page.locator('[data-test=inbox-table] .el-loading-mask').waitFor({ state: 'hidden' }).catch(() => {})
  await page.waitForTimeout(200)
}

await scenario('approver-flow', async ({ base, browser }) => {
  // ---- Data: a fresh household reported by the village officer (an intake task for 星海镇).
  const wang = await apiAs(base, 'wang.hua')
  const intakeCase = await wang.post('/api/v1/cases', {
    programme: 'dibao', id_number: makeIdNumber('640202', '19700305', 11), applicant_name: '测试甲', village: VILLAGE, source: 'village_officer',
  })
  const intakeTask = intakeCase.opened_tasks[0]
  assert(intakeTask && intakeTask.kind === 'intake', 'discovery opens an intake task')

  // ---- 1. li.na claims and decides it.
  step('li.na signs in')
  const page = await newPage(browser)
  await page.goto(`${base}/login`)
  await page.locator('[data-test=login-submit]').waitFor()
  await shot(page, 'login')
  await signInUi(page, base, 'li.na')
  assert((await page.locator('[data-test=who]').innerText()).includes('李娜'), 'header shows the signed-in user')

  step('finds the task in 待认领 with the task filter')
  await page.locator('[data-test=tab-queue]').click()
  await waitInboxLoaded(page)
  await choose(page, 'filter-kind', '受理核实')
  await waitInboxLoaded(page)
  let row = await findRow(page, intakeTask.id)
  assert((await row.innerText()).includes('测试甲'), 'row shows the household name')
  assert((await row.innerText()).includes('640202********'), 'row shows the masked ID number')
  assert((await row.innerText()).includes('星海镇'), 'row shows the org unit')
  assert(/剩 \d+ 个工作日|今日到期/.test(await row.innerText()), 'row shows working days left')
  await shot(page, 'inbox-queue')

  step('an overloaded server is explained, and the task stays')
  await failNext(page, '**/api/v1/tasks/*/claim', 503, { type: 'https://jiuzhu.example/problems/busy', title: '系统繁忙，请稍后重试', detail: 'busy' })
  await row.locator('[data-test=claim]').click()
  await page.locator('.el-message--error', { hasText: '系统繁忙' }).first().waitFor()
  assert(await row.count(), 'the row is still there')

  step('claims it')
  await row.locator('[data-test=claim]').click()
  await page.locator('.el-message--success').first().waitFor()
  await page.locator(`[data-test=inbox-table] [data-task="${intakeTask.id}"]`).waitFor({ state: 'detached' })

  step('opens it from 我的待办')
  await page.locator('[data-test=tab-mine]').click()
  await waitInboxLoaded(page)
  row = await findRow(page, intakeTask.id)
  await shot(page, 'inbox-mine')
  await row.locator('[data-test=open]').click()
  await page.locator('[data-test=decision-form]').waitFor()
  assert((await page.locator('[data-test=id-number]').innerText()).length === 18, 'a street reviewer sees the full ID number')
  const choices = await page.locator('[data-test=decision-choice] .el-radio').allInnerTexts()
  assert(choices.join('|').includes('受理') && choices.join('|').includes('不予受理'), `intake decisions offered: ${choices}`)

  step('the form refuses a close without a reason, and sends nothing')
  const requests = recordRequests(page)
  await page.locator('[data-test=decision-close]').click()
  await page.locator('[data-test=decision-submit]').click()
  await page.locator('.el-form-item__error', { hasText: '请填写理由' }).waitFor()
  assert(!requests.some((r) => r.includes('/complete')), 'nothing was sent')

  step('a stale version gives a conflict, and what was typed stays')
  await page.locator('[data-test=decision-accept]').click()
  await fill(page, 'comment', '材料齐全，予以受理')
  const li = await apiAs(base, 'li.na')
  await li.post(`/api/v1/tasks/${intakeTask.id}/release`)
  await li.post(`/api/v1/tasks/${intakeTask.id}/claim`) // two more versions behind the page's back
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  const err = page.locator('[data-test=decision-error]')
  await err.waitFor()
  assert((await err.innerText()).includes('刚被他人修改过'), `conflict explained: ${await err.innerText()}`)
  assert((await err.innerText()).includes('主动发现'), 'conflict names the current stage')
  await shot(page, 'case-conflict')
  await page.locator('[data-test=refresh-case]').click()
  await page.locator('[data-test=decision-error]').waitFor({ state: 'detached' })
  assert((await page.locator('textarea[data-test=comment]').inputValue()) === '材料齐全，予以受理', 'the comment survived the refresh')

  step('decides it')
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  await page.locator('.el-message--success', { hasText: '已办结' }).first().waitFor()
  const accepted = page.locator('[data-test=timeline-item][data-action=accept][data-actor="li.na"]')
  await accepted.waitFor()
  assert((await accepted.innerText()).includes('材料齐全，予以受理'), 'the comment is in the timeline')
  assert((await accepted.innerText()).includes('主动发现 → 综合评估'), 'the timeline shows from → to')
  assert((await accepted.innerText()).includes('星海镇'), 'the timeline shows the org unit')
  assert(await page.locator('[data-test=timeline-item][data-action=claim_task]').count(), 'the claim is in the timeline')
  assert((await page.locator('[data-test=chain-badge]').getAttribute('data-ok')) === 'true', 'audit chain verified')
  await shot(page, 'case-decided')

  step('the next task (assessment) opens with the assessment form; server field errors show in place')
  await page.locator('[data-test=decision-assess]').click()
  assert((await page.locator('input[data-test=member-name]').first().inputValue()) === '测试甲', 'the applicant is the first member')
  await page.locator('[data-test=add-member]').click()
  await page.locator('input[data-test=member-name]').nth(1).fill('测试甲之子')
  const ages = page.locator('[data-test=member-age] input')
  await ages.nth(0).fill('50')
  await ages.nth(0).blur()
  await ages.nth(1).fill('20')
  await ages.nth(1).blur()
  await fill(page, 'income-wages-same', 1000)
  // The engine's calculation with 大武口区's standards, live: 12,000 a year for two is 500 a month each.
  await page.locator('[data-test=preview-per-capita]', { hasText: '500.00' }).waitFor()
  assert((await page.locator('[data-test=preview-pool]').innerText()).includes('救助库'), 'the preview names the pool')
  assert((await page.locator('[data-test=preview-programme]').first().innerText()).includes('低保'), 'and the programme')
  await page.locator('[data-test=circ-severe_disability]').first().click()
  // A 10% deduction for the severe disability: 450 a month each.
  await page.locator('[data-test=preview-per-capita]', { hasText: '450.00' }).waitFor()
  await shot(page, 'case-assess-preview')
  await failNext(page, '**/api/v1/tasks/*/complete', 422, {
    type: 'https://jiuzhu.example/problems/invalid-field', title: '填写的内容有误', detail: 'members[1]: age 140 is not plausible',
    errors: [{ field: 'members[1].age', message: 'members[1]: age 140 is not plausible' }],
  })
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  await page.locator('[data-test=member-error]', { hasText: 'age 140 is not plausible' }).waitFor()
  assert((await page.locator('[data-test=decision-error]').innerText()).includes('填写的内容有误'), 'the 422 is explained')
  await shot(page, 'case-assess-field-error')
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  await page.locator('[data-test=timeline-item][data-action=assess]').waitFor()
  assert((await page.locator('[data-test=pool]').innerText()).includes('救助库'), 'the pool is shown after assessment')
  assert((await page.locator('[data-test=assessment-reason]').innerText()).includes('450.00'), "the engine's reasons are shown")
  assert((await page.locator('[data-test=eligible-programme]').first().innerText()).includes('低保'), 'the programme is shown')

  step('the task has left the inbox')
  await page.locator('[data-test=nav-inbox]').click()
  await page.locator('[data-test=tab-mine]').click()
  await waitInboxLoaded(page)
  assert((await page.locator(`[data-task="${intakeTask.id}"]`).count()) === 0, 'gone from 我的待办')
  await page.locator('[data-test=tab-queue]').click()
  await waitInboxLoaded(page)
  while (await page.locator('[data-test=load-more]').count()) {
    await page.locator('[data-test=load-more]').click()
    await page.waitForTimeout(300)
  }
  assert((await page.locator(`[data-task="${intakeTask.id}"]`).count()) === 0, 'gone from 待认领')

  step('bulk claim two tasks, then release one')
  await page.locator('[data-test=tab-queue]').click()
  await waitInboxLoaded(page)
  const rows = page.locator('[data-test=inbox-table] tbody tr')
  const picked = []
  for (let i = 0; i < 2; i++) {
    picked.push(await rows.nth(i).locator('[data-task]').getAttribute('data-task'))
    await rows.nth(i).locator('.el-checkbox').click()
  }
  assert((await page.locator('[data-test=bulk-claim]').innerText()).includes('2'), 'the bulk button counts the selection')
  await page.locator('[data-test=bulk-claim]').click()
  await page.locator('.el-message--success', { hasText: '成功认领 2 件' }).first().waitFor()
  for (const id of picked) await page.locator(`[data-test=inbox-table] [data-task="${id}"]`).waitFor({ state: 'detached' })
  await page.locator('[data-test=tab-mine]').click()
  await waitInboxLoaded(page)
  for (const id of picked) await findRow(page, id)
  const releaseRow = await findRow(page, picked[0])
  await releaseRow.locator('[data-test=release]').click()
  await page.locator('.el-message--success', { hasText: '已退回' }).first().waitFor()
  await page.locator(`[data-test=inbox-table] [data-task="${picked[0]}"]`).waitFor({ state: 'detached' })
  await page.locator('[data-test=tab-queue]').click()
  await waitInboxLoaded(page)
  await findRow(page, picked[0])
  assert(page.jzErrors.length === 0, `no script errors: ${page.jzErrors}`)
  await signOutUi(page)

  // ---- 2. A fast-track case prepared through the API, approved by chen.jing.
  step('li.na prepares a fast-track case through the API')
  const fastId = makeIdNumber('640202', '19580621', 22)
  const made = await li.post('/api/v1/cases', { programme: 'dibao', id_number: fastId, applicant_name: '测试乙', village: VILLAGE })
  const caseId = made.case.id
  let v = made.case.version
  v = (await li.post(`/api/v1/cases/${caseId}/accept`, { version: v })).case.version
  v = (await li.post(`/api/v1/cases/${caseId}/assess`, {
    version: v,
    assessment: {
      members: [{ name: '测试乙', relation: 'self', age: 68 }, { name: '测试丙', relation: 'spouse', age: 66, circumstances: ['serious_illness'] }],
      income: [{ kind: 'transfers', monthly_yuan: Array(12).fill(800) }], medical_expense_yuan: 2400,
    },
  })).case.version
  const pledged = await li.post(`/api/v1/cases/${caseId}/pledge`, {
    version: v, pledge: { signed: true, signer_name: '测试乙', statement: '本人承诺所报信息真实' },
  })
  assert(pledged.case.state === 'approve' && pledged.case.route === 'fast_track', 'the case waits for approval on the fast track')
  const approvalTask = pledged.opened_tasks.find((x) => x.kind === 'approval')

  step('chen.jing finds and approves it')
  const page2 = await newPage(browser)
  await signInUi(page2, base, 'chen.jing')
  await page2.locator('[data-test=tab-queue]').click()
  await waitInboxLoaded(page2)
  const count = page2.locator('[data-test=inbox-count]')
  const total = Number(((await count.innerText()).match(/共 (\d+) 件/) || [])[1])
  if (total > 20) {
    step(`keyset paging: ${total} tasks, 20 a page`)
    assert((await page2.locator('[data-test=inbox-table] tbody tr').count()) === 20, 'the first page holds 20')
    while (await page2.locator('[data-test=load-more]').count()) {
      await page2.locator('[data-test=load-more]').click()
      await page2.waitForTimeout(300)
    }
    assert((await page2.locator('[data-test=inbox-table] tbody tr').count()) === total, 'load more fetched them all')
  } else {
    step(`keyset paging not exercised: only ${total} tasks`)
  }
  const row2 = await findRow(page2, approvalTask.id)
  await row2.locator('[data-test=open]').click()
  await page2.locator('[data-test=decision-form]').waitFor()
  assert((await page2.locator('[data-test=route]').innerText()).includes('快速通道'), 'route shown')
  assert(/\d{4}-\d{2}-\d{2}/.test(await page2.locator('[data-test=promised-by]').innerText()), 'promised-by date shown')
  // 9,600 a year less 20% (two elderly, one seriously ill) and 2,400 of medical spending, for two.
  assert((await page2.locator('[data-test=per-capita]').innerText()).includes('220.00'), 'per-capita income shown')
  assert((await page2.locator('[data-test=pool]').innerText()).includes('救助库'), 'pool shown')
  await shot(page2, 'case-approve')
  await page2.locator('[data-test=decision-approve]').click()
  await page2.locator('[data-test=decision-submit]').click()
  await confirmBox(page2)
  await page2.locator('[data-test=timeline-item][data-action=approve][data-actor="chen.jing"]').waitFor()
  assert((await page2.locator('[data-test=case-state]').innerText()).includes('转介推送'), 'the case moved on to referral')
  await shot(page2, 'case-approved')
  assert(page2.jzErrors.length === 0, `no script errors: ${page2.jzErrors}`)

  // ---- 3. Another street's reviewer cannot open it.
  step('zhao.lei (长胜街道) gets "not found"')
  const page3 = await newPage(browser)
  await signInUi(page3, base, 'zhao.lei')
  await page3.goto(`${base}/cases/${caseId}`)
  const e3 = page3.locator('[data-test=case-error]')
  await e3.waitFor()
  assert((await e3.getAttribute('data-status')) === '404', 'a 404')
  assert((await e3.innerText()).includes('未找到该案件'), 'a not-found message')
  assert(!(await page3.content()).includes('测试乙'), 'nothing of the case is shown')
  await shot(page3, 'case-not-found')
})
