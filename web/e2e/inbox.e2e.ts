/**
 * The inbox as staff use it: a WhatsApp reply from the sandbox shows up in the
 * open inbox without a reload, staff open it and answer it, and the answer's
 * status moves as the sandbox reports; an SMS reply (a signed mo_text) is
 * answered by SMS; outside the 24-hour window the reply box offers a template;
 * an opted-out number's thread says when and why and the box refuses. The
 * search and "unanswered only" are in the URL (reload and Back keep them); two
 * tabs of one user share the read state live; a staff opt-out shows at once in
 * a thread open in another tab, whose reply box then refuses.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { buildCallbackPayload } from '../../api/src/lib/callbackBuilder'
import { signSinchCallback } from '../../api/src/lib/sinchSignature'

import { API, BASE, openNav, SANDBOX, SANDBOX_TIMEOUT, screenshot, useLoggedInBrowser } from './lib'

// Numbers no other test file uses, and none the sandbox plays a part with (…440-443, …777).
const WHATSAPP_NUMBER = '+12025558101'
const SMS_NUMBER = '+12025558102'
const STOP_NUMBER = '+12025558103'
const TABS_NUMBER = '+12025558104'
const STAFF_OPT_OUT_NUMBER = '+12025558105'
const SANDBOX_SECRET = 'sandbox-callback-secret'
const TEMPLATE = `inbox_follow_up_${Date.now().toString(36)}`

let page: Page
useLoggedInBrowser((p) => (page = p))

/** An inbound SMS as Sinch posts it: a signed mo_text callback. */
async function smsReply(from: string, text: string) {
  const body = JSON.stringify(buildCallbackPayload({ kind: 'mo_text', recipient: from, body: text }))
  const res = await fetch(`${API}/sinchCallbacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signSinchCallback(SANDBOX_SECRET, body) },
    body,
  })
  assert.equal(res.status, 200, await res.text())
}

const conversation = (id: string, on: Page = page) => on.locator(`[data-conversation="${id}"]`)

/** Marks the page's document, so that a test can tell it was never reloaded. */
const markDocument = (p: Page) =>
  p.evaluate(() => ((window as unknown as { __e2eSameDocument: boolean }).__e2eSameDocument = true))
const sameDocument = (p: Page) =>
  p.evaluate(() => (window as unknown as { __e2eSameDocument?: boolean }).__e2eSameDocument === true)

/** The `search` variable of every inbox query the page sends from now on. */
function inboxSearches(p: Page): (string | null)[] {
  const searches: (string | null)[] = []
  p.on('request', (request) => {
    if (!request.url().includes('/graphql') || request.method() !== 'POST') return
    const body = request.postDataJSON() as { operationName?: string; variables?: { search?: string | null } } | null
    if (body?.operationName === 'InboxQuery') searches.push(body.variables?.search ?? null)
  })
  return searches
}

describe('inbox', () => {
  it('a WhatsApp reply from the sandbox appears in the open inbox without a reload, unread', async () => {
    await openNav(page, 'Inbox')
    await page.getByRole('heading', { name: 'Inbox' }).waitFor()
    await page.locator('[data-live="live"]').waitFor()
    const url = page.url()
    const res = await fetch(`${SANDBOX}/sandbox/inbound`, {
      method: 'POST',
      body: JSON.stringify({ from: WHATSAPP_NUMBER, text: 'Is my parcel on its way?' }),
    })
    assert.equal(res.status, 202, await res.text())
    const row = conversation(`WHATSAPP:${WHATSAPP_NUMBER}`)
    await row.waitFor({ timeout: SANDBOX_TIMEOUT })
    assert.equal(page.url(), url, 'no navigation')
    assert.equal(await row.getByTestId('unread').textContent(), '1')
    assert.match((await row.textContent()) ?? '', /WhatsApp.*Unanswered.*Is my parcel on its way\?/)
    await screenshot(page, 'inbox.png')
  })

  it('staff open it (read), answer with free text inside the window, and the answer’s status moves', async () => {
    await conversation(`WHATSAPP:${WHATSAPP_NUMBER}`).getByRole('link').click()
    await page.getByRole('heading', { name: `Conversation with ${WHATSAPP_NUMBER}` }).waitFor()
    await page.locator('[data-direction="INBOUND"]', { hasText: 'Is my parcel on its way?' }).waitFor()
    await page.getByTestId('window').getByText('WhatsApp window open').waitFor()
    assert.ok(await page.getByRole('radio', { name: 'WhatsApp' }).isChecked(), 'replies on the channel it came by')
    await page.getByLabel('Your reply').fill('Yes: it arrives tomorrow morning.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    const answer = page.locator('[data-direction="OUTBOUND"]', { hasText: 'Yes: it arrives tomorrow morning.' })
    await answer.waitFor()
    // The sandbox reports QUEUED_ON_CHANNEL, DELIVERED, then READ (shown by their labels): the thread follows without
    // a reload.
    await answer.locator('[data-status="READ"]').waitFor({ timeout: SANDBOX_TIMEOUT })
    await answer.getByText('Delivery history').click()
    assert.match((await answer.getByTestId('timeline').textContent()) ?? '', /Delivered.*Read/s)
    await screenshot(page, 'inbox-thread-answered.png')

    await openNav(page, 'Inbox')
    const row = conversation(`WHATSAPP:${WHATSAPP_NUMBER}`)
    await row.waitFor()
    // Read once opened (the cached page may show for a moment, then the inbox's own answer).
    await row.getByTestId('unread').waitFor({ state: 'detached' })
    await row.getByText('Unanswered').waitFor({ state: 'detached' })
    await page.getByLabel('Unanswered only').check()
    await row.waitFor({ state: 'detached' })
  })

  it('an SMS reply is found by typing part of its number (kept in the URL through a reload and Back), answered by SMS', async () => {
    await page.getByLabel('Unanswered only').check()
    await page.waitForURL(/\/inbox\?unanswered=1$/)
    await smsReply(SMS_NUMBER, 'Can I change the delivery address?')
    const row = conversation(`SMS:${SMS_NUMBER}`)
    await row.waitFor({ timeout: SANDBOX_TIMEOUT })
    // Typed key by key: the inbox asks once the typing pauses, never for a part of what is being typed.
    const searches = inboxSearches(page)
    const typed = SMS_NUMBER.slice(-7)
    await page.getByLabel('Search by number or name').pressSequentially(typed, { delay: 40 })
    await page.waitForURL(new RegExp(`/inbox\\?q=${typed}&unanswered=1$`))
    await page.waitForFunction(() => document.querySelectorAll('[data-conversation]').length === 1)
    assert.ok(searches.includes(typed), `the search was sent: ${JSON.stringify(searches)}`)
    assert.deepEqual(
      searches.filter((s) => s !== null && s !== typed),
      [],
      'no request for a part of what was being typed'
    )

    // A reload shows the same search, filter and conversations.
    await page.reload()
    await row.waitFor()
    assert.equal(await page.getByLabel('Search by number or name').inputValue(), typed)
    assert.ok(await page.getByLabel('Unanswered only').isChecked())
    await page.waitForFunction(() => document.querySelectorAll('[data-conversation]').length === 1)
    // So does Back from the thread.
    await row.getByRole('link').click()
    await page.getByRole('heading', { name: `Conversation with ${SMS_NUMBER}` }).waitFor()
    await page.goBack()
    await page.getByRole('heading', { name: 'Inbox' }).waitFor()
    assert.match(page.url(), new RegExp(`/inbox\\?q=${typed}&unanswered=1$`))
    assert.equal(await page.getByLabel('Search by number or name').inputValue(), typed)
    assert.ok(await page.getByLabel('Unanswered only').isChecked())
    await row.waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-conversation]').length === 1)

    await row.getByRole('link').click()
    await page.getByRole('heading', { name: `Conversation with ${SMS_NUMBER}` }).waitFor()
    assert.ok(await page.getByRole('radio', { name: 'SMS' }).isChecked())
    await page.getByLabel('Your reply').fill('Of course: reply with the new address.')
    await page.getByRole('button', { name: 'Send reply' }).click()
    const answer = page.locator('[data-direction="OUTBOUND"]', { hasText: 'Of course: reply with the new address.' })
    await answer.locator('[data-status="Delivered"]').waitFor({ timeout: SANDBOX_TIMEOUT })
    // The reply is a message like any other, with its own page.
    await answer.getByRole('link', { name: 'message' }).click()
    await page.getByRole('heading', { name: 'Of course: reply with the new address.' }).waitFor()
  })

  it('outside the 24-hour window the box offers a template, with its parameters, instead of free text', async () => {
    await openNav(page, 'WhatsApp templates')
    await page.getByLabel('Name at Meta').fill(TEMPLATE)
    await page.getByLabel('Language').fill('en_US')
    await page.getByLabel('Body preview').fill('About your message {{1}}: we will call you.')
    await page.getByLabel('Parameter labels, comma-separated').fill('topic')
    await page.getByRole('button', { name: 'Add template' }).click()
    await page.getByRole('cell', { name: TEMPLATE, exact: true }).waitFor()

    // This number has only written by SMS: its WhatsApp window has never opened.
    await page.goto(`${BASE}/contacts/${SMS_NUMBER}`)
    await page.getByRole('heading', { name: `Conversation with ${SMS_NUMBER}` }).waitFor()
    await page.getByRole('radio', { name: 'WhatsApp' }).check()
    await page
      .getByTestId('reply-window')
      .getByText('The WhatsApp window is closed: free text would be refused.')
      .waitFor()
    assert.equal(await page.getByLabel('Your reply').count(), 0, 'no free text outside the window')
    assert.ok(await page.getByRole('button', { name: 'Send reply' }).isDisabled())
    const box = page.getByTestId('reply-box')
    await box.getByLabel('Template').selectOption({ label: `${TEMPLATE} (en_US)` })
    await box.getByLabel('{{1}} topic').fill('about the address')
    assert.equal(
      await box.getByTestId('template-preview').textContent(),
      'About your message about the address: we will call you.'
    )
    await screenshot(page, 'inbox-window-closed.png')
    await page.getByRole('button', { name: 'Send reply' }).click()
    const sent = page.locator('[data-direction="OUTBOUND"]', { hasText: `template ${TEMPLATE}` })
    await sent.waitFor()
    assert.match((await sent.textContent()) ?? '', /About your message about the address: we will call you\./)
  })

  it('an opted-out number: the thread shows when and why, and the reply box refuses with the reason', async () => {
    await openNav(page, 'Inbox')
    await smsReply(STOP_NUMBER, 'STOP')
    const row = conversation(`SMS:${STOP_NUMBER}`)
    await row.waitFor({ timeout: SANDBOX_TIMEOUT })
    assert.match((await row.textContent()) ?? '', /Opted out/)
    await row.getByRole('link').click()
    await page.getByRole('heading', { name: `Conversation with ${STOP_NUMBER}` }).waitFor()
    assert.match(
      (await page.getByTestId('opt-out').textContent()) ?? '',
      /^Opted out since .+: opted out \(replied STOP on \d{4}-\d\d-\d\d\)\. Nothing is sent to this number\.$/
    )
    assert.match(
      (await page.getByTestId('reply-refused').textContent()) ?? '',
      new RegExp(`^Replies are refused: \\${STOP_NUMBER} opted out \\(replied STOP on .+\\)\\.`)
    )
    assert.ok(await page.getByRole('button', { name: 'Send reply' }).isDisabled())
    assert.ok(await page.getByLabel('Your reply').isDisabled())
    await screenshot(page, 'inbox-opted-out.png')
  })

  it('two tabs of one user: reading a conversation in one clears its unread count in the other, without a reload', async () => {
    const other = await page.context().newPage()
    try {
      for (const p of [page, other]) {
        await p.goto(`${BASE}/inbox`)
        await p.getByRole('heading', { name: 'Inbox' }).waitFor()
        await p.locator('[data-live="live"]').waitFor()
      }
      await markDocument(other)
      await smsReply(TABS_NUMBER, 'Seen in two tabs?')
      for (const p of [page, other]) {
        await conversation(`SMS:${TABS_NUMBER}`, p).getByTestId('unread').waitFor({ timeout: SANDBOX_TIMEOUT })
      }
      assert.equal(await conversation(`SMS:${TABS_NUMBER}`, other).getByTestId('unread').textContent(), '1')
      // Read in the first tab…
      await conversation(`SMS:${TABS_NUMBER}`).getByRole('link').click()
      await page.locator('[data-direction="INBOUND"]', { hasText: 'Seen in two tabs?' }).waitFor()
      // …the second tab's count goes, pushed (its read state is this user's), with no reload.
      await conversation(`SMS:${TABS_NUMBER}`, other).getByTestId('unread').waitFor({ state: 'detached' })
      assert.ok(await sameDocument(other), 'the other tab was not reloaded')
      assert.equal(await conversation(`SMS:${TABS_NUMBER}`, other).getAttribute('data-unread'), '0')
    } finally {
      await other.close()
    }
  })

  it('a staff opt-out in one tab shows at once in the thread open in another, whose reply box then refuses', async () => {
    await smsReply(STAFF_OPT_OUT_NUMBER, 'Please call me instead')
    const thread = await page.context().newPage()
    try {
      await thread.goto(`${BASE}/contacts/${STAFF_OPT_OUT_NUMBER}`)
      await thread.getByRole('heading', { name: `Conversation with ${STAFF_OPT_OUT_NUMBER}` }).waitFor()
      await thread.locator('[data-direction="INBOUND"]', { hasText: 'Please call me instead' }).waitFor()
      await thread.locator('[data-live="live"]').waitFor()
      assert.equal(await thread.getByTestId('opt-out').count(), 0)
      assert.ok(await thread.getByLabel('Your reply').isEnabled(), 'replies allowed before the opt-out')
      await markDocument(thread)

      await page.goto(`${BASE}/opt-outs`)
      await page.getByRole('heading', { name: 'Opt-outs' }).waitFor()
      await page.getByLabel('Phone number').fill(STAFF_OPT_OUT_NUMBER)
      await page.getByLabel(/^Note/).fill('Asked by phone')
      await page.getByRole('button', { name: 'Add opt-out' }).click()

      await thread.getByTestId('opt-out').waitFor()
      assert.match(
        (await thread.getByTestId('opt-out').textContent()) ?? '',
        /^Opted out since .+: opted out \(added by .+ on \d{4}-\d\d-\d\d\) — “Asked by phone”\. Nothing is sent to this number\.$/
      )
      await thread.getByTestId('reply-refused').waitFor()
      assert.ok(await thread.getByLabel('Your reply').isDisabled())
      assert.ok(await thread.getByRole('button', { name: 'Send reply' }).isDisabled())
      assert.ok(await sameDocument(thread), 'the thread was not reloaded')
      await screenshot(thread, 'inbox-staff-opt-out-live.png')
    } finally {
      await thread.close()
    }
  })

  it('at 390 px (a phone) the inbox and a thread fit the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      for (const [path, heading] of [
        ['/inbox', 'Inbox'],
        [`/contacts/${WHATSAPP_NUMBER}`, `Conversation with ${WHATSAPP_NUMBER}`],
      ]) {
        await page.goto(`${BASE}${path}`)
        await page.getByRole('heading', { name: heading }).waitFor()
        await page.locator('[data-conversation], [data-direction]').first().waitFor()
        // The page's own content (the shared header is the layout's).
        const overflow = await page.evaluate(() => {
          const main = document.querySelector('main')!
          return main.scrollWidth - main.clientWidth
        })
        assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`)
        await screenshot(page, `inbox-390${path.replace(/[/+]/g, '-')}.png`)
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  })
})
