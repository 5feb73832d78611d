/**
 * Media as staff see it: a customer's photo, simulated by the sandbox (which
 * serves the file itself), copied by the api in the background and shown as a
 * thumbnail in the thread; the thumbnail opens the full picture, served only
 * to signed-in staff as an image that cannot run as a page; a link that
 * expired says so; a document sent back is fetched by the sandbox from our
 * signed link, like Sinch, and its status moves to Read.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { samplePdf } from '../../api/sandbox/mediaFiles'

import { BASE, SANDBOX, SANDBOX_TIMEOUT, screenshot, useLoggedInBrowser } from './lib'

// Numbers no other test file uses.
const CUSTOMER = '+12025557601'
const EXPIRED = '+12025557602'

let page: Page
useLoggedInBrowser((p) => (page = p))

async function simulate(body: Record<string, unknown>) {
  const res = await fetch(`${SANDBOX}/sandbox/inbound`, { method: 'POST', body: JSON.stringify(body) })
  assert.equal(res.status, 202, await res.text())
}

describe('media in conversations', () => {
  it('receives a photo: its thumbnail shows in the thread and opens the full picture', async () => {
    await simulate({ from: CUSTOMER, media: 'photo' })
    await page.goto(`${BASE}/contacts/${CUSTOMER}`)
    await page.getByRole('heading', { name: `Conversation with ${CUSTOMER}` }).waitFor()
    // The thread refreshes every 5 s; the api copies the file from the sandbox in the background.
    const thumbnail = page.getByRole('img', { name: 'Picture sent in the conversation' })
    await thumbnail.waitFor({ timeout: SANDBOX_TIMEOUT })
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="media-image"] img') as HTMLImageElement | null)?.naturalWidth === 96
    )
    await page.getByText(/image\/png · \d+ (B|KB)/).waitFor()
    await screenshot(page, 'media-thumbnail.png')

    const [full] = await Promise.all([page.context().waitForEvent('page'), thumbnail.click()])
    await full.waitForLoadState()
    assert.match(full.url(), /\/api\/media\?key=[\w-]+$/)
    await full.close()
    // What the browser got there, with this session's cookies.
    const answer = await page.context().request.get(full.url())
    assert.equal(answer.status(), 200)
    const headers = answer.headers()
    assert.equal(headers['content-type'], 'image/png')
    assert.equal(headers['x-content-type-options'], 'nosniff')
    assert.match(headers['content-security-policy'] ?? '', /^sandbox/)
    assert.equal((await answer.body()).subarray(1, 4).toString(), 'PNG')

    // Signed out, the same address answers 401.
    const signedOut = await fetch(full.url()).then((r) => r.status)
    assert.equal(signedOut, 401)
  })

  it('says why a file could not be copied (the link had expired)', async () => {
    await simulate({ from: EXPIRED, media: 'expired' })
    await page.goto(`${BASE}/contacts/${EXPIRED}`)
    await page
      .getByTestId('media-failed')
      .getByText('File could not be fetched: the link has expired or is gone (HTTP 403)')
      .waitFor({ timeout: SANDBOX_TIMEOUT })
  })

  it('sends a document back; the sandbox fetches it like Sinch and its status moves to Read', async () => {
    await page.goto(`${BASE}/contacts/${CUSTOMER}`)
    await page.getByTestId('window').getByText('WhatsApp window open').waitFor()
    await page.getByLabel('Send a picture or document').setInputFiles({
      name: 'delivery-note.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf('Delivery note for PX-7'),
    })
    await page.getByRole('button', { name: 'Send file' }).click()
    const sent = page.locator('[data-direction="OUTBOUND"]', {
      has: page.getByRole('link', { name: /delivery-note\.pdf/ }),
    })
    await sent.waitFor({ timeout: SANDBOX_TIMEOUT })
    await sent.locator('[data-status="READ"]').waitFor({ timeout: SANDBOX_TIMEOUT })
    await sent.getByText(/application\/pdf · \d+ (B|KB)/).waitFor()
    await screenshot(page, 'media-sent-document.png')
  })
})
