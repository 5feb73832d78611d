/**
 * A message page's actions: "Resend to failed recipients" (one linked resend,
 * however often it is pressed) and "Check with Sinch now" for a recipient whose
 * operator never sends a final report (…777), which ends Unknown with the
 * reason. scripts/e2e.ts sets RECONCILE_AFTER_MINUTES=0.02 and
 * RECONCILE_MAX_ATTEMPTS=1, so one check after 1.2 s of silence gives up.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { SANDBOX_TIMEOUT, screenshot, sendSms, useLoggedInBrowser, waitForStat, waitForStatus } from './lib'

const ABORTED = '+12025558402'
const DELIVERED = '+12025558100'
const SILENT = '+12025558777'

let page: Page
useLoggedInBrowser((p) => (page = p))

describe('message page', () => {
  it('resends to the failed recipient once, however often the button is pressed', async () => {
    await sendSms(page, 'Your table for two is booked', [ABORTED, DELIVERED])
    await waitForStat(page, 'In flight', '0')
    await waitForStat(page, 'Failed', '1')

    // The recipients filter offers every status the api knows (WhatsApp's too) and filters by it.
    const filter = page.getByRole('combobox', { name: 'Status' })
    for (const status of ['Cancelled', 'Deleted', 'READ', 'SWITCHING_CHANNEL'])
      await filter.locator(`option[value="${status}"]`).waitFor({ state: 'attached' })
    await filter.selectOption('Aborted')
    await page.getByText('1 recipient match').waitFor()
    assert.equal(await page.locator(`[data-recipient="${DELIVERED}"]`).count(), 0, 'the filter hides the delivered one')
    await filter.selectOption('')
    await page.locator(`[data-recipient="${DELIVERED}"]`).waitFor()

    const original = page.url()
    const resends = page.getByTestId('resends')
    // The sandbox aborts …402 with code 402 (unroutable): the page says a resend will not change that.
    await resends
      .getByText('1 failed recipient not resent yet, 1 of them unlikely to succeed; opted-out numbers are skipped.')
      .waitFor()

    // The first press asks; Cancel sends nothing.
    await page.getByRole('button', { name: 'Resend to failed recipients' }).click()
    await resends.getByText(/Resend to 1 failed recipient\? All failed for a reason a resend does not change/).waitFor()
    await resends.getByRole('button', { name: 'Cancel' }).click()
    assert.equal(await resends.getByText('Resent as:').count(), 0, 'nothing resent')
    await page.getByRole('button', { name: 'Resend to failed recipients' }).click()
    await resends.getByRole('button', { name: 'Resend anyway' }).click()
    await resends.getByRole('status').getByText('Resent to 1 failed recipient.').waitFor()
    await resends.getByText('Resent as:').waitFor()
    assert.equal(await resends.getByRole('listitem').count(), 1)
    assert.match((await resends.getByRole('listitem').textContent()) ?? '', /1 recipient$/)

    // Nothing left to resend: the button is gone (the api counts no failed recipient outside a resend).
    await page.getByRole('button', { name: 'Resend to failed recipients' }).waitFor({ state: 'detached' })
    await page.reload()
    await resends.getByText('Every failed recipient is in a resend.').waitFor()
    assert.equal(await page.getByRole('button', { name: 'Resend to failed recipients' }).count(), 0)

    // (After the reload the "Open the resend" note is gone; the list of resends links to it.)
    await resends.getByRole('listitem').getByRole('link').click()
    await page.getByText(/^Resend of/).waitFor()
    assert.notEqual(page.url(), original)
    await page.locator(`[data-recipient="${ABORTED}"]`).waitFor()
    assert.equal(await page.locator(`[data-recipient="${DELIVERED}"]`).count(), 0, 'only the failed recipient is resent')
    await waitForStat(page, 'Recipients', '1')
    await screenshot(page, 'message-resend.png')
  })

  it('"Check with Sinch now" ends a recipient with no final report Unknown, with the reason', async () => {
    await sendSms(page, 'Your courier is five minutes away', [SILENT])
    await waitForStatus(page, SILENT, 'Dispatched')
    const check = page.getByRole('button', { name: 'Check with Sinch now' })
    const unknown = page.locator(`[data-recipient="${SILENT}"] [data-status="Unknown"]`)
    // The recipient is overdue 1.2 s after its last news; a check before that only looks (and counts as news).
    const deadline = Date.now() + SANDBOX_TIMEOUT
    while ((await unknown.count()) === 0) {
      assert.ok(Date.now() < deadline, 'the recipient ended Unknown within 30 s of checks')
      await page.waitForTimeout(1500)
      if (await check.isEnabled()) {
        await check.click()
        await page.getByRole('button', { name: 'Check with Sinch now' }).waitFor()
      }
      await unknown.waitFor({ timeout: 3000 }).catch(() => undefined)
    }
    await page
      .locator(`[data-recipient="${SILENT}"]`)
      .getByText('No delivery report from the operator after 1 check with Sinch (last status Dispatched 401)')
      .waitFor()
    await waitForStat(page, 'In flight', '0')
    assert.ok(await check.isDisabled(), 'nothing left to check')
    await screenshot(page, 'message-unknown.png')
  })
})
