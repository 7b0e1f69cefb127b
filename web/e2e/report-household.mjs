// Reporting a household (主动发现) as li.na:
//  - a wrong check digit is caught while typing and on submit, and nothing is sent;
//  - a duplicate ID number shows the existing case instead of a new one;
//  - a new household opens a case;
//  - an expired sign-in goes back to the sign-in page with a message, and the typed
//    report is still there after signing in again;
//  - the English switch, and the pages at a phone's width.
import {
  apiAs, assert, choose, fill, makeIdNumber, newPage, recordRequests, scenario, shot, signInUi, step,
} from './lib.mjs'

const VILLAGE = '640202100001' // 星光村

await scenario('report-household', async ({ base, browser }) => {
  const li = await apiAs(base, 'li.na')
  const knownId = makeIdNumber('640202', '19650412', 31)
  const known = await li.post('/api/v1/cases', { programme: 'dibao', id_number: knownId, applicant_name: '测试丁', village: VILLAGE })
  assert(known.existing === false, 'the known household was new')

  const page = await newPage(browser)
  const requests = recordRequests(page)
  await signInUi(page, base, 'li.na')
  await page.locator('[data-test=nav-report]').click()
  await page.locator('[data-test=report-page]').waitFor()

  step('a wrong check digit is flagged while typing')
  const good = makeIdNumber('640202', '19800101', 45)
  const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
  await fill(page, 'report-id', wrong.slice(0, 10))
  assert((await page.locator('[data-test=id-hint]').getAttribute('data-state')) === 'typing', 'partial input is neutral')
  await fill(page, 'report-id', wrong)
  const hint = page.locator('[data-test=id-hint]')
  assert((await hint.getAttribute('data-state')) === 'check', 'check digit error while typing')
  assert((await hint.innerText()).includes('校验位不正确'), 'check digit message')
  await fill(page, 'report-name', '测试戊')
  await choose(page, 'report-village', '星光村')

  step('and on submit nothing is sent')
  const before = requests.filter((r) => r === 'POST /api/v1/cases').length
  await page.locator('[data-test=report-submit]').click()
  await page.locator('.el-form-item__error', { hasText: '校验位不正确' }).waitFor()
  await page.waitForTimeout(300)
  assert(requests.filter((r) => r === 'POST /api/v1/cases').length === before, 'no request was sent')
  await shot(page, 'report-wrong-check-digit')

  step('a duplicate ID number shows the existing case')
  await fill(page, 'report-id', knownId.slice(0, 17) + knownId[17].toLowerCase())
  assert((await hint.getAttribute('data-state')) === 'ok', 'a lower-case x or digit is accepted')
  await page.locator('[data-test=report-submit]').click()
  const ex = page.locator('[data-test=existing-case]')
  await ex.waitFor()
  assert((await ex.getAttribute('data-case')) === known.case.id, 'the existing case is the known one')
  assert((await page.locator('[data-test=existing-name]').innerText()) === '测试丁', "the existing case's applicant is shown")
  await shot(page, 'report-existing')
  await page.locator('[data-test=open-existing]').click()
  await page.locator('[data-test=existing-banner]').waitFor()
  assert((await page.locator('[data-test=applicant]').innerText()) === '测试丁', 'the case page shows the existing case')

  step('a new household opens a case')
  await page.locator('[data-test=nav-report]').click()
  await fill(page, 'report-id', good)
  await fill(page, 'report-name', '测试戊')
  await choose(page, 'report-village', '星光村')
  await fill(page, 'report-comment', '网格员走访发现，家中老人重病')
  await page.locator('[data-test=report-submit]').click()
  await page.locator('[data-test=case-page] [data-test=timeline-item][data-action=discover]').waitFor()
  assert((await page.locator('[data-test=applicant]').innerText()) === '测试戊', 'the new case is shown')
  assert((await page.locator('[data-test=case-state]').innerText()).includes('主动发现'), 'at the discovery stage')
  assert((await page.locator('[data-test=id-number]').innerText()) === good, 'the full ID number, for a street reviewer')

  step('an expired sign-in goes back to sign-in, and the typed report survives')
  await page.locator('[data-test=nav-report]').click()
  const third = makeIdNumber('640202', '19920718', 57)
  await fill(page, 'report-id', third)
  await fill(page, 'report-name', '测试己')
  await page.evaluate(() => sessionStorage.setItem('jiuzhu.token', 'expired.token.value'))
  await page.reload() // the page's first API call is refused
  await page.locator('[data-test=login-notice]').waitFor()
  assert((await page.locator('[data-test=login-notice]').innerText()).includes('登录已过期，请重新登录'), 'the expiry message')
  await shot(page, 'login-expired')
  await page.locator('[data-test=username]').fill('li.na')
  await page.locator('[data-test=password]').fill('jiuzhu2026')
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=report-page]').waitFor()
  assert((await page.locator('input[data-test=report-id]').inputValue()) === third, 'the ID number typed before is still there')
  assert((await page.locator('input[data-test=report-name]').inputValue()) === '测试己', 'the name typed before is still there')

  step('English')
  await page.locator('[data-test=lang]').click()
  assert((await page.locator('.page-title').innerText()).includes('Report a household'), 'the page is in English')
  await shot(page, 'report-english')
  await page.locator('[data-test=lang]').click()
  assert((await page.locator('.page-title').innerText()).includes('上报困难家庭'), 'back to Chinese')

  step('a phone-width inbox and case page')
  const phone = await newPage(browser, { width: 390, height: 844 })
  await signInUi(phone, base, 'li.na')
  await phone.locator('[data-test=tab-queue]').click()
  await phone.locator('[data-test=inbox-cards] [data-test=inbox-row]').first().waitFor()
  await shot(phone, 'phone-inbox')
  await phone.goto(`${base}/cases/${known.case.id}`)
  await phone.locator('[data-test=timeline]').waitFor()
  const width = await phone.evaluate(() => document.documentElement.scrollWidth)
  assert(width <= 400, `no sideways scrolling on a phone (page is ${width}px wide)`)
  await shot(phone, 'phone-case')
  assert(page.jzErrors.length === 0 && phone.jzErrors.length === 0, `no script errors: ${page.jzErrors} ${phone.jzErrors}`)
})
