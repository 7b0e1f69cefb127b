// Alerts (监测预警) and the street's alert review (预警核查), through the browser:
//  1. A monitored household of 星海镇 is found through the API; the data feed
//     (feed.bigdata) posts a large medical expense for its ID number, as a feed does.
//  2. li.na (星海镇) finds the 预警核查 task in 待认领, opens the case with it, sees the
//     alert (kind, source, amount, details) and only the decisions 重新评估 / 核实无变化;
//     without a reason the form refuses; with one, 核实无变化 closes the task.
//  3. The task is done (API: outcome no_change) and the timeline shows the feed's alert
//     and li.na's review.
//  4. An alert for an ID number nobody has an open case for is kept as unmatched:
//     sun.li (市级) sees it under 未匹配 on /alerts, li.na does not; li.na sees the
//     matched one with a link to its case, and a small medical expense under 低于阈值.
import { apiAs, assert, choose, confirmBox, fill, makeIdNumber, newPage, scenario, shot, signInUi, signOutUi, step } from './lib.mjs'

const STREET = '640202100' // 星海镇, li.na's street

// Posts an alert as a feed does (its own HTTP call); returns {status, body}.
async function postAlert(base, token, alert) {
  const r = await fetch(`${base}/api/v1/alerts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(alert),
  })
  return { status: r.status, body: await r.json() }
}

async function waitAlertsLoaded(page, status) {
  await page.locator(`[data-test=alerts-table][data-status=${status}][data-loading=false]`).waitFor()
}

await scenario('alert-review', async ({ base, browser }) => {
  const liNa = await apiAs(base, 'li.na')
  const monitored = await liNa.get(`/api/v1/cases?stage=monitor&org_unit=${STREET}&limit=50`)
  assert(monitored.items.length > 0, 'the demo data has a monitored household in 星海镇')
  const caseId = monitored.items[0].id
  const before = await liNa.get(`/api/v1/cases/${caseId}`)
  assert(before.state === 'monitor' && before.id_number_full, `case ${caseId} is monitored and li.na sees its full ID number`)

  step('the feed posts a large medical expense for the household')
  const feed = await apiAs(base, 'feed.bigdata')
  const occurred = new Date(Date.now() - 3 * 86400e3).toISOString().slice(0, 10)
  const details = `宁夏医科大学总医院住院结算，自付部分 ${caseId}`
  const matched = await postAlert(base, feed.token, {
    source: 'yibao', kind: 'large_medical_expense', id_number: before.id_number, occurred_at: occurred,
    amount_yuan: 32000, details, external_id: `e2e-${caseId}-med`,
  })
  assert(matched.status === 201, `a matched alert answers 201: ${matched.status} ${JSON.stringify(matched.body)}`)
  const alert = matched.body.alert
  assert(alert.status === 'matched' && alert.case_id === caseId && alert.task_id, `matched to case ${caseId}: ${JSON.stringify(alert)}`)
  const taskId = alert.task_id

  const page = await newPage(browser)

  step('li.na finds 预警核查 in 待认领 and opens the case with it')
  await signInUi(page, base, 'li.na')
  await page.locator('[data-test=tab-queue]').click()
  await choose(page, 'filter-kind', '预警核查')
  const row = page.locator(`[data-test=inbox-table] tr:has([data-test=inbox-row][data-task="${taskId}"])`)
  await row.waitFor()
  assert((await row.innerText()).includes('预警核查'), 'the inbox names the task 预警核查')
  const rowTexts = await page.locator('[data-test=inbox-table] tbody tr').allInnerTexts()
  assert(rowTexts.length >= 1 && rowTexts.every((x) => x.includes('预警核查')), `the kind filter shows alert reviews only: ${rowTexts.length}`)
  await row.locator('[data-test=household]').click()
  const taskAlert = page.locator(`[data-test=task-alert][data-alert="${alert.id}"]`)
  await taskAlert.waitFor()
  assert(page.url().includes(`task=${taskId}`), 'opened with its task')
  assert((await page.locator('[data-test=task-alert-kind]').innerText()).includes('大额医疗支出'), 'the alert’s kind')
  assert((await page.locator('[data-test=task-alert-source]').innerText()).includes('yibao'), 'its source')
  assert((await page.locator('[data-test=task-alert-amount]').innerText()).includes('32,000.00'), 'its amount')
  assert((await page.locator('[data-test=task-alert-details]').innerText()) === details, 'its details')

  step('only 重新评估 and 核实无变化 are offered; a reason is required')
  const choices = await page.locator('[data-test=decision-choice] [data-test^=decision-]').evaluateAll((els) => els.map((e) => e.dataset.test))
  assert(JSON.stringify(choices) === '["decision-reassess","decision-no_change"]', `decisions offered: ${choices}`)
  assert((await page.locator('[data-test=decision-reassess]').innerText()).includes('重新评估'), 'labelled 重新评估')
  assert((await page.locator('[data-test=decision-no_change]').innerText()).includes('核实无变化'), 'labelled 核实无变化')
  await page.locator('[data-test=decision-no_change]').click()
  await page.locator('[data-test=decision-submit]').click()
  const reasonItem = page.locator('.el-form-item:has([data-test=reason])')
  await reasonItem.locator('.el-form-item__error').waitFor()
  assert((await reasonItem.locator('.el-form-item__error').innerText()).includes('请填写理由'), 'without a reason the form refuses')
  assert((await page.locator('.el-message-box:visible').count()) === 0, 'nothing is sent')
  const reason = '入户核实：住院费用已由大病保险报销，家庭收入无变化'
  await fill(page, 'reason', reason)
  await shot(page, 'alert-review-form')
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)

  step('the task is done and the timeline shows the alert and the review')
  await page.locator(`[data-test=timeline-item][data-action=alert_reviewed][data-actor="li.na"]`).waitFor()
  assert((await page.locator(`[data-test=case-task][data-task="${taskId}"]`).count()) === 0, 'the task left the open tasks')
  const after = await liNa.get(`/api/v1/cases/${caseId}`)
  const task = after.tasks.find((x) => x.id === taskId)
  assert(task && task.state === 'done', `the API has the task done: ${JSON.stringify(task)}`)
  assert(after.state === 'monitor', `the household stays monitored: ${after.state}`)
  const alertItem = page.locator('[data-test=timeline-item][data-action=alert][data-actor="feed.bigdata"]')
  const alertText = await alertItem.innerText()
  for (const part of ['监测预警', '大额医疗支出', 'yibao', '32,000.00', details]) {
    assert(alertText.includes(part), `the alert event shows ${part}: ${alertText}`)
  }
  const reviewText = await page.locator('[data-test=timeline-item][data-action=alert_reviewed]').innerText()
  assert(reviewText.includes('预警核查') && reviewText.includes('核实无变化') && reviewText.includes(reason), `the review event: ${reviewText}`)
  await shot(page, 'alert-review-done')

  step('a vehicle alert on another monitored household: 重新评估 sends it back to assessment')
  const other = monitored.items.find((c) => c.id !== caseId)
  assert(other, 'the demo data has a second monitored household in 星海镇')
  const otherFull = await liNa.get(`/api/v1/cases/${other.id}`)
  const vehicle = await postAlert(base, feed.token, {
    source: 'traffic_police', kind: 'new_vehicle', id_number: otherFull.id_number, occurred_at: occurred,
    details: '新增小型轿车登记（e2e）', external_id: `e2e-${other.id}-car`,
  })
  assert(vehicle.status === 201 && vehicle.body.alert.task_id, `matched: ${JSON.stringify(vehicle.body)}`)
  await page.goto(`${base}/cases/${other.id}?task=${vehicle.body.alert.task_id}`)
  await page.locator(`[data-test=task-alert][data-alert="${vehicle.body.alert.id}"]`).waitFor()
  assert((await page.locator('[data-test=task-alert-kind]').innerText()).includes('新增车辆登记'), 'the vehicle alert')
  assert((await page.locator('[data-test=task-alert-amount]').count()) === 0, 'no amount for a vehicle alert')
  await page.locator('[data-test=decision-reassess]').click()
  await fill(page, 'reason', '核实新增车辆属实，家庭财产变化，重新评估')
  await page.locator('[data-test=decision-submit]').click()
  await confirmBox(page)
  await page.locator('[data-test=timeline-item][data-action=reassess][data-actor="li.na"]').waitFor()
  const reassessed = await liNa.get(`/api/v1/cases/${other.id}`)
  assert(reassessed.state === 'assess', `back to assessment: ${reassessed.state}`)
  const vTask = reassessed.tasks.find((x) => x.id === vehicle.body.alert.task_id)
  assert(vTask && vTask.state === 'done', `the review task is done: ${JSON.stringify(vTask)}`)
  assert((await page.locator('[data-test=case-state]').innerText()).includes('综合评估'), 'the case shows 综合评估')

  step('an alert for nobody’s ID number is kept as unmatched')
  const stranger = makeIdNumber('640202', '19700101', 987)
  const unmatched = await postAlert(base, feed.token, {
    source: 'civil_registry', kind: 'death', id_number: stranger, occurred_at: occurred, details: '死亡登记（e2e）',
    external_id: 'e2e-unmatched-1',
  })
  assert(unmatched.status === 202 && unmatched.body.alert.status === 'unmatched', `unmatched: ${JSON.stringify(unmatched.body)}`)
  const unmatchedId = unmatched.body.alert.id
  const small = await postAlert(base, feed.token, {
    source: 'yibao', kind: 'large_medical_expense', id_number: before.id_number, occurred_at: occurred, amount_yuan: 300,
    details: '门诊结算（e2e）', external_id: `e2e-${caseId}-small`,
  })
  assert(small.status === 202 && small.body.alert.status === 'below_threshold', `below the threshold: ${JSON.stringify(small.body)}`)
  assert(!small.body.alert.task_id, 'a small expense opens no review')

  step('li.na: the matched alert links to its case; nothing under 未匹配')
  await page.locator('[data-test=nav-alerts]').click()
  await waitAlertsLoaded(page, 'all')
  await page.locator(`[data-test=alert-row][data-alert="${alert.id}"][data-status=matched]`).waitFor()
  const link = page.locator(`[data-test=alert-case][data-case="${caseId}"][data-task="${taskId}"]`)
  assert(await link.count(), 'the matched alert links to its case and task')
  assert((await page.locator(`[data-test=alert-row][data-alert="${unmatchedId}"]`).count()) === 0, 'li.na does not see the unmatched alert')
  await page.locator('[data-test=status-unmatched]').click()
  await waitAlertsLoaded(page, 'unmatched')
  assert(page.url().includes('status=unmatched'), 'the filter is in the URL')
  assert((await page.locator(`[data-test=alert-row][data-alert="${unmatchedId}"]`).count()) === 0, 'not under 未匹配 either')
  const liNaUnmatched = await liNa.get('/api/v1/alerts?status=unmatched')
  assert(!liNaUnmatched.items.some((a) => a.id === unmatchedId), 'nor does the API give it to her')
  await page.locator('[data-test=status-below_threshold]').click()
  await waitAlertsLoaded(page, 'below_threshold')
  const smallRow = page.locator(`[data-test=alerts-table] tr:has([data-test=alert-row][data-alert="${small.body.alert.id}"][data-status=below_threshold])`)
  await smallRow.waitFor()
  const smallText = await smallRow.innerText()
  assert(smallText.includes('低于阈值') && smallText.includes('300.00') && /金额低于.+阈值/.test(smallText), `the below-threshold row: ${smallText}`)
  await page.locator('[data-test=status-matched]').click()
  await waitAlertsLoaded(page, 'matched')
  await link.click()
  await page.locator('[data-test=household-card]').waitFor()
  assert(page.url().includes(`/cases/${caseId}`), 'the link opens the case')
  await signOutUi(page)

  step('sun.li (石嘴山市) sees it under 未匹配')
  await signInUi(page, base, 'sun.li')
  await page.locator('[data-test=nav-alerts]').click()
  await waitAlertsLoaded(page, 'all')
  await page.locator('[data-test=status-unmatched]').click()
  await waitAlertsLoaded(page, 'unmatched')
  const strangerRow = page.locator(`[data-test=alerts-table] tr:has([data-test=alert-row][data-alert="${unmatchedId}"][data-status=unmatched])`)
  await strangerRow.waitFor()
  const rowText = await strangerRow.innerText()
  assert(rowText.includes('未匹配') && rowText.includes('死亡登记') && rowText.includes('死亡登记（e2e）'), `the row: ${rowText}`)
  assert(rowText.includes('没有该身份证号的在办案件'), `the reason in the app’s words: ${rowText}`)
  assert(rowText.includes(unmatched.body.alert.id_number) && !rowText.includes(stranger), 'with the masked ID number only')
  assert((await page.locator(`[data-test=alert-row][data-alert="${alert.id}"]`).count()) === 0, 'the matched one is not under 未匹配')
  await shot(page, 'alert-review-unmatched')

  step('paging: 30 more unmatched alerts, the next page by the cursor')
  for (let i = 0; i < 30; i++) {
    const r = await postAlert(base, feed.token, {
      source: 'power_grid', kind: 'abnormal_utilities', id_number: makeIdNumber('640202', '19710101', 100 + i),
      occurred_at: occurred, details: `用电量异常 #${i}`, external_id: `e2e-paging-${i}`,
    })
    assert(r.status === 202 && r.body.alert.status === 'unmatched', `paging alert ${i}: ${r.status}`)
  }
  await page.locator('[data-test=status-all]').click()
  await waitAlertsLoaded(page, 'all')
  await page.locator('[data-test=status-unmatched]').click()
  await waitAlertsLoaded(page, 'unmatched')
  const rows = page.locator('[data-test=alerts-table] [data-test=alert-row]')
  assert((await rows.count()) === 30, `a first page of 30: ${await rows.count()}`)
  assert((await page.locator(`[data-test=alert-row][data-alert="${unmatchedId}"]`).count()) === 0, 'the oldest is on the next page')
  await page.locator('[data-test=alerts-more]').click()
  await page.locator(`[data-test=alert-row][data-alert="${unmatchedId}"]`).waitFor()
  const ids = await rows.evaluateAll((els) => els.map((e) => e.dataset.alert))
  assert(ids.length === 31 && new Set(ids).size === 31, `31 distinct alerts after the next page: ${ids.length}`)
  const sunLi = await apiAs(base, 'sun.li')
  const all = await sunLi.get('/api/v1/alerts?status=unmatched&limit=500')
  assert(JSON.stringify(ids) === JSON.stringify(all.items.map((a) => a.id)), 'the same alerts in the same order as the API')
  // The second page held fewer than 30: no cursor, no button.
  await page.locator('[data-test=alerts-more]').waitFor({ state: 'detached' })

  step('the English switch labels the page')
  await page.locator('[data-test=lang]').click()
  assert((await strangerRow.innerText()).includes('Unmatched'), 'status in English')
  assert((await page.locator('[data-test=nav-alerts]').innerText()).includes('Alerts'), 'nav in English')
  await page.locator('[data-test=lang]').click()

  assert(!page.jzErrors.length, `no script errors: ${page.jzErrors.join(' | ')}`)
})
