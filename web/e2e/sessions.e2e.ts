/**
 * Sessions in a browser: one message for a wrong password and an unknown
 * email, and "Sign out everywhere" ending the sessions of other browsers at
 * their next request.
 */
import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'

import type { Browser, Page } from 'playwright-core'

import { accountAction, BASE, EMAIL, launch, loginAs, OUT, PASSWORD } from './lib'

let browser: Browser
let page: Page
let other: Page

before(async () => {
  const launched = await launch()
  browser = launched.browser
  page = launched.page
  other = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  other.setDefaultTimeout(15_000)
})

after(async () => {
  await browser?.close()
})

async function failedLogin(email: string, password: string) {
  await page.goto(`${BASE}/login`)
  await page.getByRole('button', { name: 'Log in' }).waitFor()
  await page.waitForLoadState('networkidle')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  // The form's alert (other live regions on the page are empty).
  return ((await page.getByRole('alert').filter({ hasText: /\w/ }).first().textContent()) ?? '').trim()
}

describe('sessions', () => {
  it('says the same for a wrong password and an unknown email', async () => {
    const wrongPassword = await failedLogin(EMAIL, 'not-the-password-1')
    const unknownEmail = await failedLogin('nobody.here@example.com', 'not-the-password-1')
    assert.equal(wrongPassword, 'Wrong email or password.')
    assert.equal(unknownEmail, wrongPassword)
  })

  it('"Sign out everywhere" signs out this browser and, at its next request, every other one', async () => {
    await loginAs(page)
    await loginAs(other)
    page.once('dialog', (dialog) => void dialog.accept())
    await accountAction(page, 'Sign out everywhere')
    await page.getByRole('button', { name: 'Log in' }).waitFor()

    // The other browser still shows the desk until it asks the api for something.
    await other.reload()
    await other.getByRole('button', { name: 'Log in' }).waitFor()
    assert.equal(await other.getByRole('heading', { name: 'Messages' }).count(), 0)
    await other.screenshot({ path: path.join(OUT, 'signed-out-everywhere.png'), fullPage: true })

    // Signing in again works.
    await loginAs(other, EMAIL, PASSWORD)
  })
})
