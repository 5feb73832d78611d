/**
 * The callback log's self-check and its diagnostics: "Send a test callback"
 * is accepted end to end, and a callback with a wrong signature is refused
 * (401) and listed under "Refused (401)" with the reason.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { buildCallbackPayload } from '../../api/src/lib/callbackBuilder'
import { signSinchCallback } from '../../api/src/lib/sinchSignature'

import { API, openNav, screenshot, useLoggedInBrowser } from './lib'

let page: Page
useLoggedInBrowser((p) => (page = p))

describe('callback log', () => {
  it('"Send a test callback" is accepted', async () => {
    await openNav(page, 'Callback log')
    await page.getByRole('heading', { name: 'Callback log' }).waitFor()
    await page.getByRole('button', { name: 'Send a test callback' }).click()
    const outcome = page.getByRole('status').filter({ hasText: 'Accepted (200)' })
    await outcome.waitFor()
    assert.match((await outcome.textContent()) ?? '', /posted to\s*http:\/\/127\.0\.0\.1:\d+\/sinchCallbacks/)
    await screenshot(page, 'callbacks-test.png')
  })

  it('a callback signed with the wrong secret is refused and listed under "Refused (401)" with the reason', async () => {
    const batch = `WRONGSIG${Date.now()}`
    const body = JSON.stringify(buildCallbackPayload({ batch, recipient: '+12025550199', status: 'Delivered' }))
    const res = await fetch(`${API}/sinchCallbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSinchCallback('not-the-sandbox-secret', body) },
      body,
    })
    assert.equal(res.status, 401)

    await page.getByRole('tab', { name: 'Refused (401)' }).click()
    const refused = page.locator('[data-reason]', { hasText: batch })
    // The body excerpt sits in a closed <details>: find the row by it, then read the visible reason.
    await page.locator('[data-reason="signature_mismatch"]').first().waitFor()
    assert.equal(await refused.count(), 1, 'the refused callback is listed once')
    assert.equal(await refused.getAttribute('data-reason'), 'signature_mismatch')
    await refused.getByText(/signature matches none of the configured secrets/).waitFor()
    await refused.getByText(/^Body \(first 500 characters/).click()
    await refused.getByText(new RegExp(batch)).last().waitFor()
    await screenshot(page, 'callbacks-refused.png')
  })
})
