// A district supervisor at work (issue 5):
//  1. liu.yang (district supervisor, 大武口区) opens the board from the nav; totals, the
//     children table, the breadcrumb and the charts' numbers equal what the API returns.
//  2. Drills down district → street (URL keeps the unit; back/forward work), and the street's
//     numbers equal the API's too.
//  3. The overdue list: rows and total as the API says, load more, CSV export (header line,
//     BOM, one record per overdue task) and Excel export (a ZIP package).
//  4. Remind: the assignee's bell shows it; clicking it opens the case and marks it read;
//     "mark all read" clears the badge. Reassign: the dialog lists who may take the task,
//     and the API shows the new assignee afterwards.
//  5. Another district's unit is "not in your area"; a street reviewer has no board.
// Needs the board, notification, remind and reassign routes of the API.
import { readFileSync } from 'node:fs'
import { apiAs, assert, confirmBox, fill, newPage, scenario, shot, signInUi, step } from './lib.mjs'

const DISTRICT = '640202' // 大武口区
const OTHER_DISTRICT = '640205'
const CSV_HEADERS = ['任务编号', '案件编号', '申请人', '救助项目', '阶段', '任务', '所在单位', '经办人', '截止时间', '逾期工作日', '督办级别']

// The board shows `unit`, and its overdue list has loaded that unit's rows.
async function boardReady(page, unit) {
  await page.locator(`[data-test=board][data-unit="${unit}"]`).waitFor()
  await page.locator(`[data-test=overdue-list][data-unit="${unit}"][data-loading=false]`).waitFor()
}

// Waits until the bell's unread count equals the API's (the bell polls every 30 s
// and on route changes; the server may add notifications meanwhile).
async function bellAgrees(page, api) {
  const deadline = Date.now() + 40_000
  for (;;) {
    const unread = (await api.get('/api/v1/notifications?limit=20')).unread
    const shown = await page.locator('[data-test=bell]').getAttribute('data-unread')
    if (shown === String(unread)) return unread
    if (Date.now() > deadline) throw new Error(`bell shows ${shown} unread, the API says ${unread}`)
    await page.waitForTimeout(500)
  }
}

async function num(locator) {
  return Number((await locator.innerText()).trim())
}

// The page's totals and children equal the API's summary of the same unit.
async function checkSummary(page, s) {
  assert((await num(page.locator('[data-test=total-active]'))) === s.totals.active, `active total ${s.totals.active}`)
  assert((await num(page.locator('[data-test=total-overdue]'))) === s.totals.overdue, `overdue total ${s.totals.overdue}`)
  assert((await num(page.locator('[data-test=total-due-soon]'))) === s.totals.due_soon, `due-soon total ${s.totals.due_soon}`)
  const rows = page.locator('[data-test=children-table] tbody tr')
  assert((await rows.count()) === s.children.length, `${s.children.length} children shown`)
  for (const c of s.children) {
    const row = page.locator(`[data-test=children-table] tbody tr:has([data-test=child-row][data-unit="${c.id}"])`)
    assert((await row.count()) === 1, `child ${c.name} shown once`)
    assert((await row.locator('[data-test=child-name]').innerText()).includes(c.name), `child ${c.id} named ${c.name}`)
    assert((await num(row.locator('[data-test=child-active]'))) === c.active, `${c.name} active ${c.active}`)
    assert((await num(row.locator('[data-test=child-overdue]'))) === c.overdue, `${c.name} overdue ${c.overdue}`)
    assert((await num(row.locator('[data-test=child-due-soon]'))) === c.due_soon, `${c.name} due soon ${c.due_soon}`)
  }
  // The breadcrumb is the API's path, the last one current.
  const crumbs = await page.locator('[data-test=breadcrumb] [data-unit]').evaluateAll((els) => els.map((e) => e.dataset.unit))
  assert(JSON.stringify(crumbs) === JSON.stringify(s.path.map((p) => p.id)), `breadcrumb ${crumbs} = ${s.path.map((p) => p.id)}`)
  assert((await page.locator('[data-test=crumb-current]').getAttribute('data-unit')) === s.unit.id, 'the current unit ends the breadcrumb')
  // The bar chart describes the same overdue numbers.
  if (s.children.length) {
    const label = await page.locator('[data-test=chart-units] .echart').getAttribute('aria-label')
    for (const c of s.children) assert(label.includes(`${c.name} ${c.overdue}`), `bar chart has ${c.name} ${c.overdue}: ${label}`)
    assert(await page.locator('[data-test=chart-units] canvas').count(), 'the bar chart is drawn')
  }
  // Every programme/stage row of the API is in the table.
  assert((await page.locator('[data-test=stage-table] [data-test=stage-row]').count()) === s.by_stage.length, 'one row per programme stage')
}

async function checkTrend(page, api, unit) {
  const tr = await api.get(`/api/v1/board/trend?unit=${unit}&weeks=8`)
  assert(tr.points.length >= 1 && tr.points.length <= 9, `about 8 weekly points: ${tr.points.length}`)
  const label = await page.locator('[data-test=chart-trend] .echart').getAttribute('aria-label')
  for (const p of tr.points) assert(label.includes(`${p.date} ${p.overdue}`), `trend has ${p.date} ${p.overdue}: ${label}`)
}

await scenario('supervisor-board', async ({ base, browser }) => {
  const liu = await apiAs(base, 'liu.yang')

  // ---- 1. The district board.
  step('liu.yang signs in; the board is in the nav')
  const page = await newPage(browser)
  await signInUi(page, base, 'liu.yang')
  await page.locator('[data-test=nav-board]').click()
  const district = await liu.get(`/api/v1/board/summary?due_soon_days=2`)
  assert(district.unit.id === DISTRICT && district.unit.name === '大武口区', 'the default unit is the supervised district')
  assert(district.children.some((c) => c.tier === 'street'), 'the district has streets')
  await boardReady(page, DISTRICT)
  await checkSummary(page, district)
  await checkTrend(page, liu, DISTRICT)
  assert(district.totals.overdue > 0, 'the demo data has overdue tasks in 大武口区 (the board scenario needs some)')
  await shot(page, 'board-district')

  // ---- 2. Drill down to the street with the most overdue tasks.
  const street = district.children.filter((c) => c.tier === 'street').sort((a, b) => b.overdue - a.overdue)[0]
  assert(street.overdue > 0, `a street of 大武口区 has overdue tasks (${street.name}: ${street.overdue})`)
  step(`drills down to ${street.name}`)
  await page.locator(`[data-test=children-table] [data-test=child-row][data-unit="${street.id}"] [data-test=child-name]`).click()
  await boardReady(page, street.id)
  assert(new URL(page.url()).searchParams.get('unit') === street.id, 'the URL keeps the unit')
  const streetSummary = await liu.get(`/api/v1/board/summary?unit=${street.id}&due_soon_days=2`)
  assert(streetSummary.totals.active === street.active && streetSummary.totals.overdue === street.overdue,
    'the street board agrees with its row on the district board')
  await checkSummary(page, streetSummary)
  await checkTrend(page, liu, street.id)
  assert((await page.locator('[data-test=breadcrumb] [data-test=crumb]').first().getAttribute('data-unit')) === DISTRICT, 'breadcrumb leads back to the district')
  await shot(page, 'board-street')

  step('back and forward move between the district and the street')
  await page.goBack()
  await boardReady(page, DISTRICT)
  await page.goForward()
  await boardReady(page, street.id)
  step('the breadcrumb goes up again')
  await page.locator(`[data-test=breadcrumb] [data-test=crumb][data-unit="${DISTRICT}"]`).click()
  await boardReady(page, DISTRICT)
  await page.goBack()
  await boardReady(page, street.id)

  // ---- 3. The overdue list of the street.
  step('the overdue list shows what the API returns')
  const overdue = await liu.get(`/api/v1/board/overdue?unit=${street.id}&limit=50`)
  assert(overdue.total === streetSummary.totals.overdue, `overdue list total ${overdue.total} = the overdue total ${streetSummary.totals.overdue}`)
  const list = page.locator('[data-test=overdue-list]')
  assert((await list.locator('[data-test=overdue-total]').getAttribute('data-value')) === String(overdue.total), 'total shown')
  const shownRows = list.locator('[data-test=overdue-table] [data-test=overdue-row]')
  assert((await shownRows.count()) === overdue.items.length, `${overdue.items.length} rows on the first page`)
  const first = overdue.items[0]
  const firstRow = list.locator(`[data-test=overdue-table] tbody tr:has([data-test=overdue-row][data-task="${first.task_id}"])`)
  assert((await firstRow.innerText()).includes(first.applicant_name), 'the first row shows the applicant')
  assert((await firstRow.locator('[data-test=days-overdue]').getAttribute('data-value')) === String(first.days_overdue), 'days overdue as the API says')
  assert((await firstRow.locator('[data-test=escalation]').getAttribute('data-level')) === String(first.escalation_level), 'escalation level as the API says')
  if (overdue.next_cursor) {
    step('load more')
    await list.locator('[data-test=overdue-more]').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=overdue-table] [data-test=overdue-row]').length > n, overdue.items.length)
  } else {
    step(`load more not exercised: ${overdue.total} overdue tasks fit one page`)
  }

  step('CSV export: BOM, the overdue headers, one record per overdue task')
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), list.locator('[data-test=export-csv]').click()])
  assert(csvDownload.suggestedFilename().endsWith('.csv'), `a .csv file: ${csvDownload.suggestedFilename()}`)
  const csv = readFileSync(await csvDownload.path())
  assert(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, 'the CSV starts with a UTF-8 BOM')
  const csvText = csv.subarray(3).toString('utf8')
  const headerLine = csvText.slice(0, csvText.indexOf('\r\n'))
  assert(headerLine === CSV_HEADERS.join(','), `CSV header line: ${headerLine}`)
  const records = csvText.split('\r\n').filter((l) => l !== '')
  assert(records.length === overdue.total + 1, `${overdue.total} records after the header (got ${records.length - 1})`)
  assert(csvText.includes(first.applicant_name), 'the CSV holds the first overdue task')

  step('Excel export: a ZIP package with a workbook')
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), list.locator('[data-test=export-xlsx]').click()])
  assert(xlsxDownload.suggestedFilename().endsWith('.xlsx'), `a .xlsx file: ${xlsxDownload.suggestedFilename()}`)
  const xlsx = readFileSync(await xlsxDownload.path())
  assert(xlsx.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'the .xlsx is a ZIP file')
  assert(xlsx.includes(Buffer.from('[Content_Types].xml')) && xlsx.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'it holds a workbook')
  await shot(page, 'board-overdue-list')

  // ---- 4. Remind and reassign.
  step('remind the first overdue task')
  const remindAnswer = page.waitForResponse((r) => r.url().includes(`/api/v1/tasks/${first.task_id}/remind`))
  await firstRow.locator('[data-test=remind]').click()
  await confirmBox(page)
  const remindRes = await remindAnswer
  assert(remindRes.status() === 202, `remind answered ${remindRes.status()}`)
  const notified = (await remindRes.json()).notified || []
  await page.locator('.el-message--success').first().waitFor()
  assert(notified.length > 0, 'someone was notified')

  step(`the bell of ${notified[0]} shows the reminder`)
  const assignee = await apiAs(base, notified[0])
  const theirs = await assignee.get('/api/v1/notifications?limit=50')
  const reminder = theirs.items.find((n) => n.kind === 'reminder' && n.task_id === first.task_id)
  assert(reminder && !reminder.read, 'the API lists an unread reminder for the task')
  const page2 = await newPage(browser)
  await signInUi(page2, base, notified[0])
  const bell = page2.locator('[data-test=bell]')
  const unread = await bellAgrees(page2, assignee)
  assert(unread >= 1, 'at least the reminder is unread')
  assert((await page2.locator('[data-test=bell-count]').innerText()) === (unread > 99 ? '99+' : String(unread)), 'badge = unread count')
  await bell.click()
  const item = page2.locator(`[data-test=bell-item][data-id="${reminder.id}"]`)
  await item.waitFor()
  assert((await item.getAttribute('data-read')) === 'false', 'shown unread')
  await shot(page2, 'bell-open')
  await item.click()
  await page2.waitForURL(`**/cases/${first.case_id}**`)
  await page2.locator('[data-test=case-state], [data-test=case-error]').first().waitFor()
  const after = await assignee.get('/api/v1/notifications?limit=50')
  const readNow = after.items.find((n) => n.id === reminder.id)
  assert(readNow && readNow.read === true, 'the server has it read')
  await bellAgrees(page2, assignee)
  if (after.unread > 0) {
    step('mark all read')
    await bell.click()
    await page2.locator('[data-test=bell-read-all]').click()
    await page2.locator('[data-test=bell-count]').waitFor({ state: 'detached' })
    assert((await assignee.get('/api/v1/notifications?limit=20')).unread === 0, 'the server has all read')
  }
  assert(page2.jzErrors.length === 0, `no script errors: ${page2.jzErrors}`)

  step('reassign a task to someone the API offers')
  const target = overdue.items.find((x) => x.task_id !== first.task_id) || first
  const options = (await liu.get(`/api/v1/board/assignees?unit=${target.org_unit_id}&role=${target.role}`)).users
  const targetRow = list.locator(`[data-test=overdue-table] tbody tr:has([data-test=overdue-row][data-task="${target.task_id}"])`)
  await targetRow.locator('[data-test=reassign]').click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.waitFor()
  if (!options.length) {
    step('nobody else may take it: the dialog says so')
    await dialog.locator('[data-test=reassign-to]').click()
    await page.locator('.el-select-dropdown__empty:visible').waitFor()
    await page.keyboard.press('Escape')
  } else {
    const to = options[0]
    await dialog.locator('[data-test=reassign-submit]').click()
    await dialog.locator('.el-form-item__error', { hasText: '请选择改派对象' }).waitFor()
    await dialog.locator('[data-test=reassign-to]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: to.username }).first().click()
    await fill(page, 'reassign-reason', '原经办人休假，改派他人办理')
    await shot(page, 'board-reassign')
    await dialog.locator('[data-test=reassign-submit]').click()
    await page.locator('.el-message--success', { hasText: '已改派' }).first().waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const again = await liu.get(`/api/v1/board/overdue?unit=${street.id}&limit=200`)
    const moved = again.items.find((x) => x.task_id === target.task_id)
    assert(!moved || moved.assignee === to.username, `the API shows ${to.username} as the assignee: ${moved && moved.assignee}`)
  }
  assert(page.jzErrors.length === 0, `no script errors: ${page.jzErrors}`)

  step("liu.yang's own bell agrees with the API")
  await page.locator('[data-test=nav-board]').click() // a route change refreshes the bell
  await bellAgrees(page, liu)

  // ---- 5. Outside the area; no board for a street reviewer; phones.
  step('another district is not in her area')
  await page.goto(`${base}/board?unit=${OTHER_DISTRICT}`)
  const err = page.locator('[data-test=board-error]')
  await err.waitFor()
  assert((await err.getAttribute('data-status')) === '404', 'a 404')
  assert((await err.innerText()).includes('不在您的督办范围内'), 'explained')

  step('on a phone the board shows cards')
  const phone = await newPage(browser, { width: 390, height: 844 })
  await signInUi(phone, base, 'liu.yang')
  await phone.goto(`${base}/board?unit=${DISTRICT}`)
  await phone.locator(`[data-test=board][data-unit="${DISTRICT}"]`).waitFor()
  assert((await phone.locator('[data-test=children] [data-test=child-row]').count()) === district.children.length, 'one card per child')
  await phone.locator('[data-test=overdue-cards]').waitFor()
  await shot(phone, 'board-phone')
  assert(phone.jzErrors.length === 0, `no script errors: ${phone.jzErrors}`)

  step('a street reviewer has no board')
  const li = await newPage(browser)
  await signInUi(li, base, 'li.na')
  assert((await li.locator('[data-test=nav-board]').count()) === 0, 'no board in the nav')
  await li.goto(`${base}/board`)
  await li.locator('[data-test=inbox]').waitFor()
  assert(!li.url().includes('/board'), 'sent to the inbox')
  assert((await li.locator('[data-test=bell]').count()) === 1, 'but the bell is there')
})
