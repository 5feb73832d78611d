/**
 * WhatsApp as staff use it: a template added on the templates page, sent to a
 * new contact, the contact's reply opening the 24-hour window on the thread,
 * free text inside the window, and free text refused outside it.
 * Sandbox: …441 replies a few seconds after a template; …440 never has an open window.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { openNav, SANDBOX_TIMEOUT, screenshot, useLoggedInBrowser, waitForStatus } from './lib'

// Numbers no other test file uses.
const REPLIES = '+12025557441'
const NEVER_OPEN = '+12025557440'
const TEMPLATE = `pickup_ready_${Date.now().toString(36)}`

let page: Page
useLoggedInBrowser((p) => (page = p))

async function composeWhatsApp() {
  await openNav(page, 'Compose')
  await page.getByRole('radio', { name: 'WhatsApp' }).check()
  await page.getByRole('heading', { name: 'Compose a WhatsApp message' }).waitFor()
  await page.getByLabel('Template').waitFor()
}

describe('WhatsApp', () => {
  it('adds a template on the WhatsApp templates page', async () => {
    await openNav(page, 'WhatsApp templates')
    await page.getByRole('heading', { name: 'WhatsApp templates' }).waitFor()
    // The form says early what the api would refuse (its limits read from the api), and sends nothing.
    await page.getByText('At most 1024 characters.').waitFor()
    await page.getByLabel('Name at Meta').fill('Parcel Ready')
    await page.getByRole('button', { name: 'Add template' }).click()
    await page
      .getByText('The template name is the name at Meta: lower-case letters, digits and _ (e.g. order_shipped).')
      .waitFor()
    await page.getByText('Give a preview of the template body, with {{1}}, {{2}}... for the parameters.').waitFor()
    assert.equal(await page.getByRole('cell', { name: 'Parcel Ready' }).count(), 0)
    await page.getByLabel('Name at Meta').fill(TEMPLATE)
    await page.getByLabel('Language').fill('en_US')
    await page.getByLabel('Body preview').fill('Your parcel {{1}} is ready for pickup at {{2}}.')
    await page.getByLabel('Parameter labels, comma-separated').fill('parcel number, pickup point')
    await page.getByRole('button', { name: 'Add template' }).click()
    await page.getByRole('cell', { name: TEMPLATE, exact: true }).waitFor()
    await page.getByRole('cell', { name: '{{1}} parcel number, {{2}} pickup point' }).first().waitFor()
  })

  it('sends the template to a new contact, whose reply opens the 24-hour window on the thread', async () => {
    await composeWhatsApp()
    await page.getByLabel('Template').selectOption({ label: `${TEMPLATE} (en_US)` })
    await page.getByLabel('{{1}} parcel number').fill('PX-7')
    await page.getByLabel('{{2}} pickup point').fill('Main St kiosk')
    assert.equal(await page.getByTestId('template-preview').textContent(), 'Your parcel PX-7 is ready for pickup at Main St kiosk.')
    assert.equal(await page.getByLabel('Message').count(), 0, 'a template has no free text')
    await page.getByLabel('Recipients').fill(REPLIES)
    await page.getByText('1 valid recipient', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('heading', { name: 'Your parcel PX-7 is ready for pickup at Main St kiosk.' }).waitFor()
    await page.getByText(`template ${TEMPLATE} (en_US)`).waitFor()
    await waitForStatus(page, REPLIES, 'READ')

    await page.getByRole('link', { name: `Conversation with ${REPLIES}` }).click()
    await page.getByRole('heading', { name: `Conversation with ${REPLIES}` }).waitFor()
    // The thread refreshes every 5 s; the sandbox replies a few seconds after the template.
    const reply = page.locator('[data-direction="INBOUND"]', { hasText: 'Yes, that works' })
    await reply.waitFor({ timeout: SANDBOX_TIMEOUT })
    const window = page.getByTestId('window')
    await window.getByText('WhatsApp window open').waitFor({ timeout: SANDBOX_TIMEOUT })
    const text = (await window.textContent()) ?? ''
    assert.match(text, /open until .+: free text may be sent \(last reply .+\)/)
    // Until: 24 hours after the reply, shown in the browser's locale (a date, not a placeholder).
    const until = text.match(/until (.+?): free text/)?.[1] ?? ''
    const closes = new Date(until).getTime()
    if (!Number.isNaN(closes)) assert.ok(closes > Date.now() + 23 * 3600_000, `the window closes about 24 h from now: ${until}`)
    assert.ok(await page.locator('[data-direction="OUTBOUND"]', { hasText: `template ${TEMPLATE}` }).isVisible())
    await screenshot(page, 'whatsapp-thread.png')
  })

  it('sends free text inside the window and sees it read', async () => {
    await composeWhatsApp()
    // Free text is the picker's default.
    await page.getByLabel('Message').fill('Thanks! The kiosk is open until 8 pm.')
    await page.getByLabel('Recipients').fill(REPLIES)
    await page.getByText('Every number replied on WhatsApp in the last 24 hours: free text reaches it.').waitFor()
    await page.getByRole('button', { name: 'Send' }).click()
    await page.getByRole('heading', { name: 'Thanks! The kiosk is open until 8 pm.' }).waitFor()
    await waitForStatus(page, REPLIES, 'READ')
    await screenshot(page, 'whatsapp-free-text.png')
  })

  it('refuses free text to a number outside its window, and says why', async () => {
    await composeWhatsApp()
    await page.getByLabel('Message').fill('Are you still interested?')
    await page.getByLabel('Recipients').fill(NEVER_OPEN)
    await page.getByText('1 of 1 number outside the 24-hour window: free text will be refused; choose a template.').waitFor()
    await page.getByRole('button', { name: 'Send' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was sent' })
    await alert.getByText('Nothing was sent: 1 recipient is invalid or opted out, or outside the WhatsApp 24-hour window.').waitFor()
    await alert.getByText(`${NEVER_OPEN}: no reply from this number in the last 24 hours: choose a template`).waitFor()
    assert.ok(await page.getByRole('heading', { name: 'Compose a WhatsApp message' }).isVisible(), 'still on Compose: nothing was sent')
    await screenshot(page, 'whatsapp-refused.png')
  })
})
