/**
 * Live updates by push (README "Live updates"): a report posted to the second
 * api instance (E2E_API_B_URL, as another instance behind a load balancer)
 * shows on a message page served through the first, without a reload; and
 * after the first instance loses its LISTEN connection the page reconnects
 * and catches up by itself.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import pg from 'pg'
import type { Page } from 'playwright-core'

import { buildCallbackPayload } from '../../api/src/lib/callbackBuilder'
import { signSinchCallback } from '../../api/src/lib/sinchSignature'

import { API, screenshot, sendSms, useLoggedInBrowser, waitForStatus } from './lib'

const API_B = process.env.E2E_API_B_URL ?? 'http://127.0.0.1:8923'
const SANDBOX_SECRET = 'sandbox-callback-secret'
// …777: the sandbox reports Dispatched, then never a final status; this test sends it.
const FIRST = '+12025559777'
const SECOND = '+12025559877'

let page: Page
useLoggedInBrowser((p) => (page = p))

async function batchOf(messageId: string) {
  const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await db.connect()
  try {
    const { rows } = await db.query<{ sinchBatchId: string }>(`SELECT "sinchBatchId" FROM "Message" WHERE id = $1`, [
      messageId,
    ])
    return rows[0].sinchBatchId
  } finally {
    await db.end()
  }
}

async function deliver(api: string, batch: string, recipient: string) {
  const body = JSON.stringify(
    buildCallbackPayload({ kind: 'recipient_delivery_report_sms', batch, recipient, status: 'Delivered' })
  )
  const res = await fetch(`${api}/sinchCallbacks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signSinchCallback(SANDBOX_SECRET, body) },
    body,
  })
  assert.equal(res.status, 200, await res.text())
  return performance.now()
}

describe('live updates by push', () => {
  it('a report stored by the other api instance shows on the message page without a reload', async () => {
    await sendSms(page, 'Live across instances', [FIRST, SECOND])
    await waitForStatus(page, FIRST, 'Dispatched')
    await waitForStatus(page, SECOND, 'Dispatched')
    await page.locator('[data-live="live"]').waitFor()
    const messageId = new URL(page.url()).pathname.split('/').pop()!
    const batch = await batchOf(messageId)
    // A reload would drop this marker.
    await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 1))

    const stored = await deliver(API_B, batch, FIRST)
    await waitForStatus(page, FIRST, 'Delivered', 5000)
    const shown = performance.now() - stored
    console.log(`  shown ${Math.round(shown)} ms after api B's 200 (page served through api A)`)
    assert.equal(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker), 1, 'no reload')
    await screenshot(page, 'live-pushed.png')
  })

  it('after the api loses its LISTEN connection, the page reconnects and catches up without a reload', async () => {
    const messageId = new URL(page.url()).pathname.split('/').pop()!
    const batch = await batchOf(messageId)
    const db = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
    await db.connect()
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE application_name = 'delivery-desk live' AND datname = current_database()`
      )
      assert.ok(rows[0].n >= 1, 'an api instance was listening')
    } finally {
      await db.end()
    }
    // Stored while the page's stream is down or reconnecting: caught up by the refetch on reconnect.
    await deliver(API, batch, SECOND)
    await waitForStatus(page, SECOND, 'Delivered', 10_000)
    await page.locator('[data-live="live"]').waitFor({ timeout: 10_000 })
    assert.equal(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker), 1, 'no reload')
  })
})
