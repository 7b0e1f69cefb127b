// Policy search (政策查找) as he.ping and li.na: the catalogue searched in Chinese, the results
// equal to what the API answers, the local department named, a query kept in the URL.
import { apiAs, assert, fill, newPage, scenario, shot, signInUi, step } from './lib.mjs'

await scenario('policy-search', async ({ base, browser }) => {
  const li = await apiAs(base, 'li.na')
  const page = await newPage(browser)
  await signInUi(page, base, 'li.na')

  step('the whole catalogue is listed')
  await page.locator('[data-test=nav-policies]').click()
  await page.locator('[data-test=policies]').waitFor()
  const all = await li.get('/api/v1/policies?limit=50')
  await page.locator('[data-test=policy]').nth(Math.min(all.total, 50) - 1).waitFor()
  assert((await page.locator('[data-test=policy]').count()) === Math.min(all.total, 50), 'every policy shown')

  step('"残疾" finds the disability policies first, with 大武口区残联')
  await fill(page, 'policy-query', '残疾')
  await page.locator('[data-test=policy-search]').click()
  const api = await li.get('/api/v1/policies?q=' + encodeURIComponent('残疾') + '&limit=50')
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test=policy]').length === n, api.items.length)
  const codes = await page.locator('[data-test=policy]').evaluateAll((els) => els.map((e) => e.dataset.code))
  assert(JSON.stringify(codes) === JSON.stringify(api.items.map((p) => p.code)), `same order as the API: ${codes}`)
  assert(api.items[0].department === 'canlian', 'a 残联 policy first')
  const firstCard = page.locator('[data-test=policy]').first()
  assert((await firstCard.innerText()).includes(api.items[0].department_unit.name), 'the local department is named')
  assert(new URL(page.url()).searchParams.get('q') === '残疾', 'the query is in the URL')
  await shot(page, 'policies-disability')

  step('a query the server refuses shows its reason and no stale results')
  await fill(page, 'policy-query', '，。！')
  await page.locator('[data-test=policy-search]').click()
  await page.locator('[data-test=policy-error]').waitFor()
  assert((await page.locator('[data-test=policy]').count()) === 0, 'no results shown with the error')
})
