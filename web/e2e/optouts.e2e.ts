/**
 * Opt-outs: a STOP reply (an SMS mo_text callback, signed like Sinch's) opts a
 * number out; Compose refuses it with the reason; staff see it on the opt-outs
 * page and remove it by hand, after which Compose sends to it again.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { buildCallbackPayload } from '../../api/src/lib/callbackBuilder'
import { signSinchCallback } from '../../api/src/lib/sinchSignature'

import { API, openNav, screenshot, sendSms, useLoggedInBrowser } from './lib'

const NUMBER = '+12025556123'
const BY_HAND = '+12025556124'
const SANDBOX_SECRET = 'sandbox-callback-secret'

let page: Page
useLoggedInBrowser((p) => (page = p))

describe('opt-outs', () => {
  it('a STOP reply opts the number out, and Compose refuses it with the reason', async () => {
    const body = JSON.stringify(buildCallbackPayload({ kind: 'mo_text', recipient: NUMBER, body: 'STOP' }))
    const res = await fetch(`${API}/sinchCallbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSinchCallback(SANDBOX_SECRET, body) },
      body,
    })
    assert.equal(res.status, 200, await res.text())

    await openNav(page, 'Compose')
    await page.getByLabel('Message').fill('Your appointment is tomorrow at 9')
    await page.getByLabel('Recipients').fill(NUMBER)
    const reason = /opted out \(replied STOP on .+\)/
    await page.getByTestId('recipient-check').getByText('0 valid recipients, 1 invalid (nothing is sent until they are fixed)').waitFor()
    assert.match((await page.getByTestId('recipient-check').textContent()) ?? '', reason)
    await page.getByRole('button', { name: 'Send' }).click()
    // (Redwood's route announcer is an empty role=alert too.)
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was sent' })
    await alert.getByText('Nothing was sent: 1 recipient is invalid or opted out.').waitFor()
    assert.match((await alert.textContent()) ?? '', new RegExp(`\\${NUMBER}: opted out \\(replied STOP on .+\\)`))
    await screenshot(page, 'opt-out-refused.png')
  })

  it('lists the number on the opt-outs page with the reply that opted it out', async () => {
    await openNav(page, 'Opt-outs')
    await page.getByRole('heading', { name: 'Opt-outs', exact: true }).waitFor()
    await page.getByLabel('Search').fill(NUMBER.slice(-7))
    const row = page.getByRole('row', { name: new RegExp(`\\${NUMBER}`) })
    await row.waitFor()
    assert.equal(await row.getAttribute('data-source'), 'INBOUND')
    assert.match((await row.textContent()) ?? '', /Reply\s*Replied\s*.STOP.\s*by SMS/)
    await screenshot(page, 'opt-outs.png')
  })

  it('removing it by hand lets Compose send to it again', async () => {
    await page.getByRole('button', { name: `Remove the opt-out of ${NUMBER}` }).click()
    await page.getByText(`${NUMBER} may be sent to again`).waitFor()
    await page.getByRole('row', { name: new RegExp(`\\${NUMBER}`) }).waitFor({ state: 'detached' })
    await sendSms(page, 'Welcome back: your appointment is tomorrow at 9', [NUMBER])
    // The recipients load once the message is known (the message page shows none for an unknown id).
    await page.locator(`[data-recipient="${NUMBER}"]`).waitFor()
  })

  it('adding by hand: the form says what is missing or too long, the api refuses a number already opted out', async () => {
    await openNav(page, 'Opt-outs')
    const form = page.getByRole('form', { name: 'Add an opt-out' })
    await form.getByText('(optional, at most 500 characters)').waitFor()
    await form.getByRole('button', { name: 'Add opt-out' }).click()
    await form.getByText('Enter a phone number.').waitFor()
    await form.getByLabel('Phone number').fill(BY_HAND)
    await form.getByLabel(/^Note/).fill('x'.repeat(501))
    await form.getByRole('button', { name: 'Add opt-out' }).click()
    await form.getByText('A note has at most 500 characters; this one has 501.').waitFor()
    assert.equal(await page.getByRole('row', { name: new RegExp(`\\${BY_HAND}`) }).count(), 0, 'nothing was added')

    await form.getByLabel(/^Note/).fill('asked by phone')
    await form.getByRole('button', { name: 'Add opt-out' }).click()
    await page.getByText(`${BY_HAND} opted out`).waitFor()
    await page.getByRole('row', { name: new RegExp(`\\${BY_HAND}`) }).waitFor()
    assert.equal(await form.getByLabel('Phone number').inputValue(), '', 'the form is cleared')

    await form.getByLabel('Phone number').fill(BY_HAND)
    await form.getByRole('button', { name: 'Add opt-out' }).click()
    await form.getByRole('alert').getByText(`${BY_HAND} is already opted out`, { exact: false }).waitFor()
  })
})
