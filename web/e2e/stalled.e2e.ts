/**
 * The stalled-delivery alarm in a browser (README "Monitoring"): scripts/e2e.ts
 * runs the api with ALARM_STALL_MINUTES=0.1 (6 s) and ALARM_POLL_SECONDS=2.
 * A message to a …777 number gets Queued and Dispatched from the sandbox, then
 * no more reports: the banner appears. Reports for another message arrive:
 * it clears. The silent recipient is then ended Unknown so that later files
 * start with nothing in flight.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { openNav, SANDBOX_TIMEOUT, screenshot, sendSms, useLoggedInBrowser, waitForStatus } from './lib'

const SILENT = '+12025550777'
const DELIVERED = '+12025550123'

let page: Page
useLoggedInBrowser((p) => (page = p))

const banner = () => page.getByRole('region', { name: 'Delivery reports have stalled' })

describe('stalled-delivery alarm', () => {
  it('fires when the sandbox stops sending reports for a message in flight, with the likely causes', async () => {
    await sendSms(page, 'Your parcel is on its way', [SILENT])
    const silentMessage = page.url()
    await waitForStatus(page, SILENT, 'Dispatched')
    // No alarm while reports arrive. An alarm an earlier file left (its recipients waiting, no callback for 6 s)
    // clears at an instance's next check once this send's reports are stored: within the 5 s check, plus the push.
    await banner().waitFor({ state: 'detached', timeout: 15_000 })
    // 6 s without a callback, then at most an instance's check (5 s), which pushes the change to the page.
    await banner().waitFor({ timeout: SANDBOX_TIMEOUT })
    await banner()
      .getByText(/recipients? (is|are) waiting for delivery reports, and no callback has been stored/)
      .waitFor()
    await banner()
      .getByRole('listitem')
      .filter({ hasText: 'the tunnel or proxy in front of /sinchCallbacks' })
      .waitFor()
    await screenshot(page, 'alarm-stalled.png')

    // The banner is on every page of the desk.
    await openNav(page, 'Dashboard')
    await banner().waitFor()

    // Reports flow again (another message's): the alarm clears on its own.
    await sendSms(page, 'Your table is ready', [DELIVERED])
    await banner().waitFor({ state: 'detached', timeout: SANDBOX_TIMEOUT })
    await waitForStatus(page, DELIVERED, 'Delivered')

    // Leave nothing in flight: the silent recipient ends Unknown after a check with Sinch.
    await page.goto(silentMessage)
    const unknown = page.locator(`[data-recipient="${SILENT}"] [data-status="Unknown"]`)
    const check = page.getByRole('button', { name: 'Check with Sinch now' })
    const deadline = Date.now() + SANDBOX_TIMEOUT
    while ((await unknown.count()) === 0) {
      assert.ok(Date.now() < deadline, 'the silent recipient ended Unknown')
      if (await check.isEnabled()) await check.click()
      await unknown.waitFor({ timeout: 3000 }).catch(() => undefined)
    }
  })
})
