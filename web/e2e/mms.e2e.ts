/**
 * MMS from Compose: with MMS enabled (the api says so), an SMS can carry a
 * picture; it is sent as one mt_media batch, the sandbox fetches the picture
 * from our signed link like Sinch, and the recipient reaches Delivered.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { samplePng } from '../../api/sandbox/mediaFiles'
import { SANDBOX_API_TOKEN, SANDBOX_SERVICE_PLAN_ID } from '../../api/src/lib/sandboxCredentials'

import { BASE, SANDBOX, screenshot, useLoggedInBrowser, waitForStatus } from './lib'

// A number no other test file uses (sandbox: Delivered).
const CUSTOMER = '+12025557701'

let page: Page
useLoggedInBrowser((p) => (page = p))

describe('MMS from Compose', () => {
  it('attaches a picture to an SMS: sent as mt_media, fetched by the sandbox, Delivered', async () => {
    await page.goto(`${BASE}/compose`)
    await page.getByRole('heading', { name: 'Compose an SMS' }).waitFor()
    await page.getByLabel('Attach a picture (MMS)').check()
    await page.getByLabel('Picture', { exact: true }).setInputFiles({
      name: 'parcel.png',
      mimeType: 'image/png',
      buffer: samplePng(64),
    })
    await page.getByLabel('Message').fill('Your parcel PX-9, as it left us')
    await page.getByLabel('Recipients').fill(CUSTOMER)
    await page.getByText('1 valid recipient', { exact: true }).waitFor()
    await screenshot(page, 'mms-compose.png')
    await page.getByRole('button', { name: 'Send MMS' }).click()
    await page.getByRole('heading', { name: 'Your parcel PX-9, as it left us' }).waitFor()
    await waitForStatus(page, CUSTOMER, 'Delivered')

    // What Sinch (the sandbox) received: an mt_media batch whose picture it fetched from our signed link.
    const messageId = page.url().split('/').pop()!
    const res = await fetch(
      `${SANDBOX}/xms/v1/${SANDBOX_SERVICE_PLAN_ID}/batches?client_reference=${encodeURIComponent(messageId)}`,
      { headers: { authorization: `Bearer ${SANDBOX_API_TOKEN}` } }
    )
    assert.equal(res.status, 200)
    const { batches } = (await res.json()) as { batches: { type: string; body: { url: string; message?: string } }[] }
    assert.equal(batches.length, 1)
    assert.equal(batches[0].type, 'mt_media')
    assert.equal(batches[0].body.message, 'Your parcel PX-9, as it left us')
    assert.match(batches[0].body.url, /\/mediaPublic\?key=[\w-]+&exp=\d+&sig=/)
  })
})
