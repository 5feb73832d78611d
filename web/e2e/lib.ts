/**
 * Shared by the browser test files (web/e2e/*.e2e.ts). Each file gets its own
 * browser and logs in as the first staff account, creating it when the desk
 * has none yet. node's test runner runs the files in name order, and
 * desk.e2e.ts walks through that first signup itself, so every other file is
 * named to sort after it (messages, optouts, stats, webhooks, whatsapp).
 */
import fs from 'node:fs'
import path from 'node:path'
import { after, before } from 'node:test'

import { chromium, type Browser, type Page } from 'playwright-core'

export const BASE = process.env.E2E_BASE_URL ?? 'http://localhost:8920'
export const API = process.env.E2E_API_URL ?? 'http://127.0.0.1:8921'
export const SANDBOX = process.env.SINCH_SANDBOX_URL ?? 'http://127.0.0.1:8922'
export const OUT = path.resolve(__dirname, '..', 'test-results')
export const EMAIL = 'first.staff@example.com'
export const PASSWORD = 'a-long-e2e-password'
/** SETUP_TOKEN of the served api (scripts/e2e.ts): the first admin's signup needs it. */
export const SETUP_TOKEN = process.env.E2E_SETUP_TOKEN ?? ''
/** Changes the sandbox drives (reports, replies) arrive within seconds; this bounds the wait. */
export const SANDBOX_TIMEOUT = 30_000

export async function launch(): Promise<{ browser: Browser; page: Page }> {
  fs.mkdirSync(OUT, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return { browser, page }
}

/**
 * This file's browser: launched and logged in as the first staff account
 * before its tests, closed after them. `ready` receives the page.
 */
export function useLoggedInBrowser(ready: (page: Page) => void) {
  let browser: Browser | undefined
  before(async () => {
    const launched = await launch()
    browser = launched.browser
    await loginAs(launched.page)
    ready(launched.page)
  })
  after(async () => {
    await browser?.close()
  })
}

/** Logs in as the first staff account (the admin); signs it up first, with the setup token, when the desk has none yet. */
export async function loginAs(page: Page, email = EMAIL, password = PASSWORD) {
  await page.goto(`${BASE}/login`)
  await page.getByRole('button', { name: 'Log in' }).waitFor()
  // The page asks the api whether signup is open; let that answer arrive.
  await page.waitForLoadState('networkidle')
  const signup = page.getByRole('link', { name: 'Create the first account' })
  if ((await signup.count()) > 0) {
    await signup.click()
    await page.getByRole('heading', { name: 'Create the first staff account' }).waitFor()
    await page.getByLabel('Setup token').fill(SETUP_TOKEN)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Create account' }).click()
  } else {
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Log in' }).click()
  }
  await page.getByRole('heading', { name: 'Messages' }).waitFor()
}

/** Clicks an action of the account menu in the header (Log out, Sign out everywhere), opening the menu first. */
export async function accountAction(page: Page, name: string) {
  const action = page.getByRole('button', { name, exact: true })
  if (!(await action.isVisible())) await page.getByTestId('account').locator('summary').click()
  await action.click()
}

export async function openNav(page: Page, name: string) {
  await page.getByRole('link', { name, exact: true }).first().click()
}

/** Composes and sends an SMS as a person would, and waits for its message page. */
export async function sendSms(page: Page, body: string, recipients: string[]) {
  await openNav(page, 'Compose')
  await page.getByRole('heading', { name: 'Compose an SMS' }).waitFor()
  await page.getByLabel('Message').fill(body)
  await page.getByLabel('Recipients').fill(recipients.join('\n'))
  await page.getByText(`${recipients.length} valid recipient${recipients.length === 1 ? '' : 's'}`, { exact: true }).waitFor()
  await page.getByRole('button', { name: 'Send' }).click()
  await page.getByRole('heading', { name: body }).waitFor()
}

/** The latest status shown for a recipient on a message page. */
export function recipientStatus(page: Page, phoneNumber: string) {
  return page.locator(`[data-recipient="${phoneNumber}"] [data-status]`)
}

export async function waitForStatus(page: Page, phoneNumber: string, status: string, timeout = SANDBOX_TIMEOUT) {
  await page.locator(`[data-recipient="${phoneNumber}"] [data-status="${status}"]`).waitFor({ timeout })
}

/** The message page's counter (data-stat) once it reads `value`. */
export async function waitForStat(page: Page, label: string, value: string, timeout = SANDBOX_TIMEOUT) {
  await page.waitForFunction(
    ([l, v]) => document.querySelector(`[data-stat="${l}"]`)?.textContent?.trim() === v,
    [label, value] as const,
    { timeout }
  )
}

export function screenshot(page: Page, name: string) {
  return page.screenshot({ path: path.join(OUT, name), fullPage: true })
}
