// 监测预警 and 分层分类 for supervisors: a data feed's alerts (matched to a household under
// monitoring, unmatched, malformed) listed on 监测预警, the matched one with its reassessment
// task on the case; households per pool per unit on the board.
import { apiAs, assert, makeIdNumber, newPage, scenario, shot, signInUi, step } from './lib.mjs'

const VILLAGE = '640202100001' // 星光村
const NAME = '预警测试'

async function post(base, token, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() }
}

await scenario('monitoring-alerts', async ({ base, browser }) => {
  step('a household is taken under monitoring through the API')
  const li = await apiAs(base, 'li.na')
  const chen = await apiAs(base, 'chen.jing')
  const idNumber = makeIdNumber('640202', '19690303', 71)
  const made = await li.post('/api/v1/cases', { programme: 'dibao', id_number: idNumber, applicant_name: NAME, village: VILLAGE })
  const id = made.case.id
  let v = made.case.version
  v = (await li.post(`/api/v1/cases/${id}/accept`, { version: v })).case.version
  v = (await li.post(`/api/v1/cases/${id}/assess`, {
    version: v,
    assessment: { members: [{ name: NAME, relation: 'self', age: 57 }], income: [{ kind: 'wages', monthly_yuan: Array(12).fill(400) }] },
  })).case.version
  v = (await li.post(`/api/v1/cases/${id}/pledge`, { version: v, pledge: { signed: true, signer_name: NAME, statement: '承诺' } })).case.version
  v = (await chen.post(`/api/v1/cases/${id}/approve`, { version: v })).case.version
  const monitored = await chen.post(`/api/v1/cases/${id}/monitor`, { version: v })
  assert(monitored.case.state === 'monitor', 'under monitoring')

  step('the feed sends three alerts')
  const feed = await apiAs(base, 'feed.shizuishan')
  const matched = await post(base, feed.token, '/api/v1/alerts', {
    source: 'yibao-settlement', kind: 'large_medical_expense', id_number: idNumber, details: { amount_yuan: 46000 },
  })
  assert(matched.status === 202 && matched.json.status === 'matched', `matched: ${JSON.stringify(matched.json)}`)
  const unmatched = await post(base, feed.token, '/api/v1/alerts', {
    source: 'civil-registry', kind: 'death_record', id_number: makeIdNumber('640202', '19400101', 72),
  })
  assert(unmatched.status === 202 && unmatched.json.status === 'unmatched', 'unmatched kept')
  const malformed = await post(base, feed.token, '/api/v1/alerts', '{"source": "grid-electricity", "kind": 7')
  assert(malformed.status === 422 && malformed.json.alert_id, `malformed answered and kept: ${JSON.stringify(malformed.json)}`)
  const c = await li.get(`/api/v1/cases/${id}`)
  assert(c.tasks.some((x) => x.kind === 'alert_reassessment' && x.state === 'open'), 'a reassessment task is open')

  step('liu.yang sees them on 监测预警')
  const page = await newPage(browser)
  await signInUi(page, base, 'liu.yang')
  await page.locator('[data-test=nav-alerts]').click()
  await page.locator('[data-test=alerts]').waitFor()
  const rows = page.locator('[data-test=alert-table] tbody tr')
  await rows.first().waitFor()
  assert((await rows.count()) >= 3, 'every alert listed')
  const text = await page.locator('[data-test=alert-table]').innerText()
  assert(text.includes('大额医疗支出') && text.includes('已匹配'), 'the matched alert')
  assert(text.includes('未匹配') && text.includes('格式有误'), 'unmatched and malformed kept')
  await page.locator('[data-test=alerts-malformed]').click()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=alert-status]')].every((e) => e.textContent.includes('格式有误')))
  await shot(page, 'alerts')

  step('the board counts households per pool')
  await page.locator('[data-test=nav-board]').click()
  await page.locator('[data-test=pools]').waitFor()
  const pools = await li.get('/api/v1/board/pools').catch(() => null)
  assert(pools === null, 'a street reviewer is no supervisor')
  const poolText = await page.locator('[data-test=pools]').innerText()
  assert(poolText.includes('星海镇'), `per unit: ${poolText.slice(0, 200)}`)
  await shot(page, 'board-pools')
  assert(page.jzErrors.length === 0, `no script errors: ${page.jzErrors}`)
})
