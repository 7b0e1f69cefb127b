// The post-audit of the fast track (issue 6), through the browser:
//  1. zhou.min (auditor, 大武口区) opens 事后抽查 from the nav; the population count
//     equals the API's for the default period (the last month).
//  2. Fixes a sample: the seed (64 hex) and the parameter hash are shown, with the
//     sentence that the seed is recorded and cannot change, while nothing is drawn yet.
//  3. Draws it: the same seed, the sampled cases and strata as the API has them;
//     the resample check says the sample matches.
//  4. Records a discrepancy (assets) on the case of 星海镇 from the case page.
//  5. li.na (星海镇) re-verifies it from the case page; chen.jing, who approved the
//     case, is told she cannot decide; wei.dong revokes with an amount to recover.
//  6. The case shows 已撤销, the red credit banner, the post-audit steps and the
//     facts of the approval; the same household reported again shows the credit
//     record to its approver; the statistics count the revocation and draw the charts.
import { apiAs, assert, choose, confirmBox, failNext, fill, newPage, scenario, shot, signInUi, signOutUi, step } from './lib.mjs'

const STREET = '640202100' // 星海镇, li.na's street

function beijingToday() {
  const p = {}
  for (const x of new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date())) {
    p[x.type] = x.value
  }
  return `${p.year}-${p.month}-${p.day}`
}

// The page's default period, computed independently: same day last month → tomorrow.
function defaultPeriod() {
  const [y, m, d] = beijingToday().split('-').map(Number)
  const last = new Date(Date.UTC(y, m - 2 + 1, 0)).getUTCDate() // days in the previous month
  const from = new Date(Date.UTC(y, m - 2, Math.min(d, last)))
  const to = new Date(Date.UTC(y, m - 1, d + 1))
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }
}

async function openCase(page, base, caseId) {
  await page.goto(`${base}/cases/${caseId}`)
  await page.locator('[data-test=household-card]').waitFor()
}

await scenario('auditor-sampling', async ({ base, browser }) => {
  const zhou = await apiAs(base, 'zhou.min')
  const { from, to } = defaultPeriod()
  const pop = await zhou.get(`/api/v1/post-audit/population?from=${from}&to=${to}`)
  assert(pop.size > 0, `the demo data has fast-track approvals between ${from} and ${to} (population ${pop.size})`)
  const streets = new Set(pop.items.map((i) => i.street_id))
  assert(streets.has(STREET), `the population holds a case of 星海镇: ${[...streets]}`)

  const page = await newPage(browser)

  step('zhou.min opens 事后抽查; the population count is the API’s')
  await signInUi(page, base, 'zhou.min')
  await page.locator('[data-test=nav-audit]').click()
  await page.locator('[data-test=audit-page]').waitFor()
  await page.locator(`[data-test=population][data-size="${pop.size}"]`).waitFor()
  assert((await page.locator('[data-test=period-from] input, input[data-test=period-from]').first().inputValue()) === from, `period starts ${from}`)
  assert((await page.locator('[data-test=period-to] input, input[data-test=period-to]').first().inputValue()) === to, `period ends ${to}`)
  assert(await page.locator('[data-test=stratum-street] input').isChecked(), 'strata by street by default')

  step('fix the seed: shown with its parameter hash before any draw')
  await fill(page, 'rate', 10)
  await fill(page, 'minimum', 1)
  await page.locator('[data-test=create-sample]').click()
  await confirmBox(page)
  const card = page.locator('[data-test=sample-card][data-status=seeded]')
  await card.waitFor()
  const seed = (await page.locator('[data-test=seed]').innerText()).trim()
  const paramsHash = (await page.locator('[data-test=parameters-hash]').innerText()).trim()
  assert(/^[0-9a-f]{64}$/.test(seed), `a 64-hex seed is shown: ${seed}`)
  assert(/^[0-9a-f]{64}$/.test(paramsHash), `the parameter hash is shown: ${paramsHash}`)
  assert((await page.locator('[data-test=seed-notice]').innerText()).includes('不能更改'), 'the page says the seed cannot be changed')
  assert(await page.locator('[data-test=draw]').isVisible(), 'the draw button waits')
  assert((await page.locator('[data-test=sample-items]').count()) === 0, 'nothing is drawn yet')
  const sampleId = await card.getAttribute('data-sample')
  assert(page.url().includes(`sample=${sampleId}`), 'the sample is in the URL')
  const seeded = await zhou.get(`/api/v1/post-audit/samples/${sampleId}`)
  assert(seeded.status === 'seeded' && seeded.seed === seed && seeded.parameters_hash === paramsHash, 'the API recorded the seed shown')
  assert(seeded.parameters.rate_basis_points === 1000 && seeded.parameters.minimum_per_stratum === 1, 'rate 10 %, minimum 1 sent')
  assert(JSON.stringify(seeded.parameters.strata) === '["street"]', `strata sent: ${seeded.parameters.strata}`)
  await shot(page, 'auditor-sampling-seeded')

  step('draw: the same seed, the API’s items and strata')
  await page.locator('[data-test=draw]').click()
  await confirmBox(page)
  await page.locator('[data-test=sample-card][data-status=drawn]').waitFor()
  await page.locator('[data-test=sample-items]').waitFor()
  assert((await page.locator('[data-test=seed]').innerText()).trim() === seed, 'the seed did not change with the draw')
  const drawn = await zhou.get(`/api/v1/post-audit/samples/${sampleId}`)
  assert(drawn.status === 'drawn' && drawn.items.length >= streets.size, `at least one case per street: ${drawn.items.length}`)
  const shownCases = await page.locator('[data-test=item-case]').evaluateAll((els) => els.map((e) => e.dataset.case).sort())
  assert(JSON.stringify(shownCases) === JSON.stringify(drawn.items.map((i) => i.case_id).sort()), 'the items shown are the API’s')
  assert((await page.locator('[data-test=stratum-row]').count()) === drawn.strata.length, 'one row per stratum')
  assert((await page.locator('[data-test=strata-table]').innerText()).includes('星海镇'), 'strata named by street')
  assert((await page.locator('[data-test=population-hash]').innerText()).trim() === drawn.population_hash, 'the frozen population hash is shown')

  step('resample check: matches')
  await page.locator('[data-test=verify]').click()
  await page.locator('[data-test=verify-result][data-match=true]').waitFor()
  await shot(page, 'auditor-sampling-drawn')

  step('a discrepancy on the 星海镇 case, recorded from the case page')
  const item = drawn.items.find((i) => i.street && i.street.id === STREET)
  assert(item && item.status === 'pending' && item.approver === 'chen.jing', `a pending 星海镇 item approved by chen.jing: ${JSON.stringify(item)}`)
  await page.locator(`[data-test=item-case][data-item="${item.id}"]`).click()
  await page.locator('[data-test=post-audit-form][data-step=finding]').waitFor()
  // The approval's facts are on the page (容错免责).
  const approveFact = page.locator('[data-test=decision-fact][data-action=approve]')
  assert((await approveFact.getAttribute('data-actor')) === 'chen.jing', 'the approval by chen.jing is listed')
  assert(await approveFact.locator('[data-test=fact-perCapita]').count(), 'with the per-capita income it was taken on')
  assert((await approveFact.locator('[data-test=fact-pledge]').innerText()).includes('已签署'), 'and the signed pledge')
  await page.locator('[data-test=finding-discrepancy]').click()
  await page.locator('[data-test=category-assets]').click()
  await fill(page, 'evidence', '车辆登记：宁B·12345 小型轿车，2024 年购入，申报时未说明')
  // A refusal from the server is explained and what was typed stays.
  await failNext(page, '**/api/v1/post-audit/items/*/finding', 403, {
    type: 'https://jiuzhu.example/problems/forbidden', title: '没有办理此事项的权限', detail: 'not an auditor of this unit',
  })
  await page.locator('[data-test=post-audit-submit]').click()
  await confirmBox(page)
  await page.locator('[data-test=post-audit-error][data-status="403"]').waitFor()
  assert((await page.locator('[data-test=post-audit-error]').innerText()).includes('not an auditor of this unit'), 'the server’s detail is shown')
  assert((await page.locator('textarea[data-test=evidence], [data-test=evidence] textarea').first().inputValue()).includes('宁B'), 'the evidence typed stays')
  await page.locator('[data-test=post-audit-submit]').click()
  await confirmBox(page)
  await page.locator(`[data-test=post-audit-item][data-item="${item.id}"][data-status=reverifying]`).waitFor()
  assert((await page.locator('[data-test=post-audit-form]').count()) === 0, 'the finding is done; no form for the auditor')
  const afterFinding = await zhou.get(`/api/v1/cases/${item.case_id}`)
  const pa = afterFinding.post_audit.find((i) => i.id === item.id)
  assert(pa.category === 'assets' && pa.found_by === 'zhou.min' && pa.evidence.includes('宁B'), 'the API has the finding')
  await signOutUi(page)

  step('li.na finds the re-verification in 待认领 and does it from the case page')
  await signInUi(page, base, 'li.na')
  await page.locator('[data-test=tab-queue]').click()
  await choose(page, 'filter-kind', '事后抽查街道复核')
  const reverifyRow = page.locator(`[data-test=inbox-table] tr:has([data-test=inbox-row][data-task="${pa.task_id}"])`)
  await reverifyRow.waitFor()
  assert((await reverifyRow.innerText()).includes('事后抽查街道复核'), 'the inbox names the task by its own kind')
  await reverifyRow.locator('[data-test=household]').click()
  await page.locator('[data-test=post-audit-form][data-step=reverification]').waitFor()
  assert(page.url().includes(`task=${pa.task_id}`), 'opened from the inbox with its task')
  await page.locator('[data-test=reverify-yes]').click()
  await fill(page, 'reverify-notes', '入户核实：车辆登记在申请人名下，属实')
  await page.locator('[data-test=post-audit-submit]').click()
  await confirmBox(page)
  await page.locator(`[data-test=post-audit-item][data-item="${item.id}"][data-status=awaiting_decision]`).waitFor()
  await signOutUi(page)

  step('chen.jing approved the case: she is told another approver decides')
  await signInUi(page, base, 'chen.jing')
  await openCase(page, base, item.case_id)
  await page.locator('[data-test=post-audit-form][data-step=decision] [data-test=own-approval]').waitFor()
  assert((await page.locator('[data-test=post-audit-submit]').count()) === 0, 'no submit button for the case’s approver')
  await signOutUi(page)

  step('wei.dong revokes with an amount to recover')
  await signInUi(page, base, 'wei.dong')
  await openCase(page, base, item.case_id)
  await page.locator('[data-test=post-audit-form][data-step=decision]').waitFor()
  await page.locator('[data-test=audit-decision-revoke]').click()
  await fill(page, 'audit-reason', '隐瞒车辆，经街道复核属实')
  await fill(page, 'audit-amount', 1200)
  await page.locator('[data-test=post-audit-submit]').click()
  await confirmBox(page)
  await page.locator(`[data-test=post-audit-item][data-item="${item.id}"][data-status=revoked]`).waitFor()
  await page.locator('[data-test=credit-banner]').waitFor()
  assert((await page.locator('[data-test=case-state]').innerText()).includes('已撤销'), 'the case shows 已撤销')
  const banner = await page.locator('[data-test=credit-banner]').innerText()
  assert(banner.includes('隐瞒车辆') && banner.includes('1,200.00'), `the banner has the reason and the amount: ${banner}`)
  const revoked = await zhou.get(`/api/v1/cases/${item.case_id}`)
  const credit = revoked.credit_records.find((r) => r.active)
  assert(credit && credit.amount_to_recover_yuan === 1200 && credit.recorded_by === 'wei.dong', 'the API has the credit record')
  const until = credit.fast_track_barred_until
  const untilBeijing = new Date(new Date(until.replace(/(\.\d{3})\d+/, '$1')).getTime() + 8 * 3600e3).toISOString().slice(0, 10)
  assert(banner.includes(untilBeijing), `the banner says until when the fast track is barred (${untilBeijing})`)
  const revokeFact = page.locator('[data-test=decision-fact][data-action=revoke]')
  assert((await revokeFact.getAttribute('data-actor')) === 'wei.dong', 'the revocation is among the decisions with its facts')
  assert((await revokeFact.locator('[data-test=fact-finding]').innerText()).includes('宁B'), 'the revocation shows the finding it followed')
  assert((await revokeFact.locator('[data-test=fact-reverification]').innerText()).includes('属实'), 'and the street’s re-verification')
  assert(await revokeFact.locator('[data-test=fact-perCapita]').count(), 'and the assessment facts stored with it')
  assert((await page.locator('[data-test=post-audit-amount]').innerText()).includes('1,200.00'), 'the item shows the amount to recover')
  await shot(page, 'auditor-sampling-revoked')
  await signOutUi(page)

  step('the same household reported again: its approver sees the credit record')
  const liNa = await apiAs(base, 'li.na')
  const full = await liNa.get(`/api/v1/cases/${item.case_id}`)
  assert(full.id_number_full && /^\d{17}[\dX]$/.test(full.id_number), 'the street sees the full ID number')
  const again = await liNa.post('/api/v1/cases', {
    programme: 'dibao', id_number: full.id_number, applicant_name: full.applicant_name, village: full.village,
  })
  const newCase = again.case.id
  assert(newCase !== item.case_id, 'a new case for the same ID')
  await signInUi(page, base, 'chen.jing')
  await openCase(page, base, newCase)
  await page.locator('[data-test=credit-banner]').waitFor()
  assert((await page.locator('[data-test=credit-banner]').innerText()).includes('隐瞒车辆'), 'the reason is on the new case')
  await page.locator('[data-test=credit-case]').click()
  await page.locator(`[data-test=post-audit-item][data-item="${item.id}"][data-status=revoked]`).waitFor()
  await signOutUi(page)

  step('the statistics count the revocation and draw the charts')
  await signInUi(page, base, 'zhou.min')
  await page.goto(`${base}/audit?sample=${sampleId}`)
  await page.locator('[data-test=stats-body][data-loading=false]').waitFor()
  const stats = await zhou.get(`/api/v1/post-audit/stats?from=${await page.locator('[data-test=stats-range] input').first().inputValue()}&to=${await page.locator('[data-test=stats-range] input').nth(1).inputValue()}&tier=district`)
  assert(stats.revocations >= 1, `the API counts the revocation: ${stats.revocations}`)
  assert(Number((await page.locator('[data-test=stat-revocations]').innerText()).trim()) === stats.revocations, 'revocations as the API says')
  assert((await page.locator('[data-test=stat-amount]').innerText()).includes('1,200.00'), 'the amount to recover')
  const sampledTotal = stats.rows.reduce((n, r) => n + r.sampled, 0)
  assert(Number((await page.locator('[data-test=stat-sampled]').innerText()).trim()) === sampledTotal, `sampled ${sampledTotal}`)
  await page.locator('[data-test=chart-pass-rate] canvas').first().waitFor()
  await page.locator('[data-test=chart-categories] canvas').first().waitFor()
  const catLabel = await page.locator('[data-test=chart-categories] .echart').getAttribute('aria-label')
  assert(catLabel.includes(`资产（车辆、公司等） ${stats.categories.assets}`), `the categories chart: ${catLabel}`)
  const passLabel = await page.locator('[data-test=chart-pass-rate] .echart').getAttribute('aria-label')
  assert(passLabel.includes('大武口区'), `the pass-rate chart names the district: ${passLabel}`)
  assert((await page.locator(`[data-test=history-row][data-sample="${sampleId}"]`).count()) === 1, 'the sample is among the earlier ones')
  await shot(page, 'auditor-sampling-stats')

  assert(!page.jzErrors.length, `no script errors: ${page.jzErrors.join(' | ')}`)
})
