/**
 * The desk as a new user meets it, in a real Chromium (Debian's, driven by
 * playwright-core) against `yarn rw serve` and the Sinch sandbox, started by
 * scripts/e2e.ts on a fresh database.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import { chromium, type Browser, type Page } from 'playwright-core'

import { accountAction } from './lib'

const BASE = process.env.E2E_BASE_URL ?? 'http://localhost:8920'
const OUT = path.resolve(__dirname, '..', 'test-results')
const EMAIL = 'first.staff@example.com'
const PASSWORD = 'a-long-e2e-password'
const API = process.env.E2E_API_URL ?? 'http://127.0.0.1:8921'
const SETUP_TOKEN = process.env.E2E_SETUP_TOKEN ?? ''
// Sandbox number patterns: …402 is Aborted (unroutable), …406 Expired, others Delivered.
const DELIVERED = '+12025550100'
const ABORTED = '+12025550402'
const EXPIRED = '+12025550406'

let browser: Browser
let page: Page

before(async () => {
  fs.mkdirSync(OUT, { recursive: true })
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })
  page = await context.newPage()
  page.setDefaultTimeout(15_000)
})

after(async () => {
  await browser?.close()
})

async function statText(label: string) {
  return (await page.locator(`[data-stat="${label}"]`).textContent())?.trim()
}

describe('delivery desk in a browser', () => {
  it('is private: an anonymous visit lands on the login page, which offers the first-account signup', async () => {
    await page.goto(`${BASE}/`)
    await page.getByRole('heading', { name: 'Sinch Delivery Desk' }).waitFor()
    await page.getByRole('link', { name: 'Create the first account' }).click()
    await page.getByRole('heading', { name: 'Create the first staff account' }).waitFor()
  })

  it('refuses a signup without the setup token, or with a wrong one: nothing is created', async () => {
    for (const setupToken of [undefined, 'not-the-token']) {
      const response = await fetch(`${API}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          method: 'signup',
          username: 'intruder@example.com',
          password: 'a-long-password',
          setupToken,
        }),
      })
      assert.equal(response.status, 400)
      assert.match(((await response.json()) as { error: string }).error, /setup token/)
    }
    // Through the page too.
    await page.getByLabel('Email').fill('intruder@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').filter({ hasText: 'setup token' }).waitFor()
    const open = await fetch(`${API}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ signupOpen }' }),
    })
    assert.deepEqual(((await open.json()) as { data: unknown }).data, { signupOpen: true }, 'still no user')
  })

  it('creates the first account (an admin) with the setup token and shows an empty messages page', async () => {
    await page.getByLabel('Setup token').fill(SETUP_TOKEN)
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
    await page.getByText('No messages here yet.').waitFor()
    // In the header (the list's "Sent by" filter names every staff member too).
    assert.ok(await page.getByRole('banner').getByText(EMAIL).isVisible())
    assert.equal(await page.getByTestId('role').textContent(), 'admin')
  })

  it('logs out and back in', async () => {
    await accountAction(page, 'Log out')
    await page.getByRole('button', { name: 'Log in' }).waitFor()
    // The page asks the api whether signup is open (never from cache); let that answer arrive.
    await page.waitForLoadState('networkidle')
    assert.equal(
      await page.getByRole('link', { name: 'Create the first account' }).count(),
      0,
      'signup is closed once a user exists'
    )
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill('wrong-password-123')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('alert').waitFor()
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
  })

  it('compose: counts SMS parts and checks recipients before sending', async () => {
    await page.getByRole('link', { name: 'Compose', exact: true }).first().click()
    // Send with nothing filled in: each field says what it needs, and the page stays on Compose.
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByText('Write the message.').waitFor()
    await page.getByText('Enter at least one recipient.').waitFor()
    assert.equal(await page.getByLabel('Recipients').getAttribute('aria-invalid'), 'true')
    await page.screenshot({ path: path.join(OUT, 'compose-checks.png'), fullPage: true })
    await page.getByLabel('Message').fill('Your parcel ORD-42 is on its way')
    assert.match((await page.getByTestId('sms-count').textContent()) ?? '', /GSM-7 · 1 SMS part/)
    await page.getByLabel('Recipients').fill(`${DELIVERED}\nnot-a-number`)
    await page.getByText('1 invalid').waitFor()
    await page.getByLabel('Recipients').fill(`${DELIVERED}\n${ABORTED}, ${EXPIRED}\n${DELIVERED}`)
    await page.getByText('3 valid recipients, 1 duplicate removed').waitFor()
    assert.equal(await page.getByText('Enter at least one recipient.').count(), 0, 'the message went with the input')
    await page.screenshot({ path: path.join(OUT, 'compose.png'), fullPage: true })
  })

  it('sends to three numbers and watches them reach their final statuses live, without reload', async () => {
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('heading', { name: 'Your parcel ORD-42 is on its way' }).waitFor()
    await page.locator('[data-live="live"]').waitFor()
    const url = page.url()
    // The sandbox plays Queued, Dispatched, then the final report over a few seconds.
    await page.waitForFunction(
      () => document.querySelector('[data-stat="In flight"]')?.textContent?.trim() === '0',
      undefined,
      { timeout: 30_000 }
    )
    assert.equal(page.url(), url, 'no navigation or reload happened')
    assert.equal(await statText('Delivered'), '1')
    assert.equal(await statText('Failed'), '2')
    const status = (n: string) => page.locator(`[data-recipient="${n}"] [data-status]`).getAttribute('data-status')
    // The counters and the recipient rows are two queries refetched together; the rows may land a poll later.
    for (const [n, s] of [
      [DELIVERED, 'Delivered'],
      [ABORTED, 'Aborted'],
      [EXPIRED, 'Expired'],
    ]) {
      await page
        .locator(`[data-recipient="${n}"] [data-status="${s}"]`)
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined)
    }
    assert.equal(await status(DELIVERED), 'Delivered')
    assert.equal(await status(ABORTED), 'Aborted')
    assert.equal(await status(EXPIRED), 'Expired')
    assert.ok(await page.getByText('402 Message unroutable').isVisible(), 'the code is explained')
    await page.screenshot({ path: path.join(OUT, 'message.png'), fullPage: true })
  })

  it('opens a recipient timeline with every report in event order and the raw payload on demand', async () => {
    await page.getByRole('button', { name: ABORTED }).click()
    await page.getByRole('heading', { name: `Timeline for ${ABORTED}` }).waitFor()
    const steps = await page
      .locator('[data-timeline-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-timeline-status')))
    assert.deepEqual(steps, ['Queued', 'Dispatched', 'Aborted'])
    await page.getByText('Raw payload').last().click()
    await page.getByText('"recipient_delivery_report_sms"').last().waitFor()
    await page.screenshot({ path: path.join(OUT, 'timeline.png'), fullPage: true })
  })

  it('downloads the delivery history as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Export delivery history/ }).click(),
    ])
    const file = path.join(OUT, download.suggestedFilename())
    await download.saveAs(file)
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n')
    assert.match(lines[0], /^message_id,sinch_batch_id,recipient,latest_status/)
    assert.equal(lines.length, 1 + 3 + 3 + 2, 'one row per report: 3 + 3 + 2 (…406 expires after Queued)')
    assert.ok(lines.some((l) => l.includes(`${ABORTED},Aborted,402,Aborted,402`)))
  })

  it('lists the message, and the callbacks that moved it in the callback log', async () => {
    await page.getByRole('link', { name: 'Messages', exact: true }).click()
    await page.getByText('Your parcel ORD-42 is on its way').waitFor()
    await page.getByRole('link', { name: 'Callback log' }).click()
    await page.locator('[data-verdict="ACCEPTED"]').first().waitFor()
    assert.ok((await page.locator('[data-verdict="ACCEPTED"]').count()) >= 8)
    await page.screenshot({ path: path.join(OUT, 'callbacks.png'), fullPage: true })
  })
})
