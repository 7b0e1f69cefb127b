// Shared helpers for the browser tests: a real `jiuzhu serve --demo` on a free
// loopback port with a fresh database, Debian's Chromium through playwright-core,
// screenshots under <repo>/test-output/web/, and small assertions.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, createWriteStream } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_DIR = path.resolve(WEB_DIR, '..')
export const OUT_DIR = path.join(REPO_DIR, 'test-output', 'web')
export const PASSWORD = 'jiuzhu2026'

export function binaryPath() {
  const b = process.env.JIUZHU_BINARY || '../build/api/jiuzhu'
  return path.isAbsolute(b) ? b : path.resolve(WEB_DIR, b)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

// Starts the server; returns {base, stop()}. The log goes to test-output/web/<name>-server.log.
export async function startServer(name) {
  const bin = binaryPath()
  if (!existsSync(bin)) throw new Error(`jiuzhu binary not found at ${bin} (set JIUZHU_BINARY)`)
  const dist = path.join(WEB_DIR, 'dist')
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist} is not built (run web/build.sh)`)
  mkdirSync(OUT_DIR, { recursive: true })
  const dbDir = mkdtempSync(path.join(tmpdir(), 'jiuzhu-e2e-'))
  const port = await freePort()
  const log = createWriteStream(path.join(OUT_DIR, `${name}-server.log`))
  const child = spawn(
    bin,
    ['--db', `sqlite:${path.join(dbDir, 'j.db')}`, 'serve', '--demo', '--listen', `127.0.0.1:${port}`, '--web', dist],
    { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  let exited = null
  child.on('exit', (code, signal) => (exited = { code, signal }))
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`jiuzhu serve exited early (${JSON.stringify(exited)}); see ${name}-server.log`)
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error('jiuzhu serve did not become ready within 60 s')
    }
    await sleep(150)
  }
  return {
    base,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM')
        for (let i = 0; i < 50 && !exited; i++) await sleep(100)
        if (!exited) child.kill('SIGKILL')
      }
      log.end()
      rmSync(dbDir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser() {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'jiuzhu-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

// A fresh tab (own sessionStorage) with console errors collected.
export async function newPage(browser, viewport) {
  const page = await browser.context.newPage()
  if (viewport) await page.setViewportSize(viewport)
  page.jzErrors = []
  page.on('pageerror', (e) => page.jzErrors.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.jzErrors.push(m.text())
  })
  return page
}

export async function shot(page, name) {
  mkdirSync(OUT_DIR, { recursive: true })
  const file = path.join(OUT_DIR, `${name}.png`)
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
  return file
}

export async function signInUi(page, base, username) {
  await page.goto(`${base}/login`)
  await page.locator('[data-test=username]').fill(username)
  await page.locator('[data-test=password]').fill(PASSWORD)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=inbox]').waitFor()
}

export async function signOutUi(page) {
  await page.locator('[data-test=sign-out]').click()
  await page.locator('[data-test=login-submit]').waitFor()
}

// The API directly, as a given user (for preparing data).
export async function apiAs(base, username) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (!r.ok) throw new Error(`sign-in of ${username} failed: ${r.status}`)
  const { token } = await r.json()
  const call = async (method, p, body) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    const data = text ? JSON.parse(text) : null
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text}`)
    return data
  }
  return {
    token,
    get: (p) => call('GET', p),
    post: (p, body = {}) => call('POST', p, body),
  }
}

// A valid resident ID number (GB 11643 check digit) for a region and a sequence.
export function makeIdNumber(region6, birth, seq) {
  const first17 = `${region6}${birth}${String(seq).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[sum % 11]
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`)
}

export function step(name) {
  console.log(`  · ${name}`)
}

// Runs one scenario file: server, browser, body, teardown; exit code 1 on failure.
export async function scenario(name, body) {
  console.log(`scenario ${name}`)
  let server, browser
  let failed = false
  try {
    server = await startServer(name)
    browser = await launchBrowser()
    await body({ base: server.base, browser })
    console.log(`ok ${name}`)
  } catch (e) {
    failed = true
    console.error(`FAIL ${name}: ${e && e.stack ? e.stack : e}`)
    if (browser) {
      for (const [i, p] of browser.context.pages().entries()) {
        if (p.url() === 'about:blank') continue
        await shot(p, `${name}-failure-${i}`).catch(() => {})
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {})
    if (server) await server.stop().catch(() => {})
  }
  process.exitCode = failed ? 1 : 0
  return !failed
}

// Types into an Element Plus input, textarea or input-number named by data-test.
export async function fill(page, name, value) {
  const sel = [`input[data-test="${name}"]`, `textarea[data-test="${name}"]`, `[data-test="${name}"] input`, `[data-test="${name}"] textarea`]
  const input = page.locator(sel.join(', ')).first()
  await input.fill(String(value))
  await input.blur() // number inputs take the value on change
}

// Picks an option (by its visible text) of an Element Plus select named by data-test.
export async function choose(page, name, text) {
  await page.locator(`[data-test="${name}"]`).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.click()
  // Close a multiple select's dropdown; a single select closes by itself.
  await page.keyboard.press('Escape').catch(() => {})
}

// Confirms an Element Plus message box.
export async function confirmBox(page) {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-button--primary').click()
  await box.waitFor({ state: 'hidden' })
}

// Answers the next matching API request with a problem+json instead of the server.
export async function failNext(page, urlGlob, status, problem) {
  await page.route(
    urlGlob,
    (route) =>
      route.fulfill({
        status,
        contentType: 'application/problem+json',
        headers: status === 503 ? { 'Retry-After': '1' } : {},
        body: JSON.stringify({ status, ...problem }),
      }),
    { times: 1 },
  )
}

// Records the API requests a page makes (method and path).
export function recordRequests(page) {
  const seen = []
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (u.pathname.startsWith('/api/')) seen.push(`${r.method()} ${u.pathname}`)
  })
  return seen
}
