/**
 * The dashboard after sends: non-zero delivered and failed counts, the chart
 * drawn with bars, and the failure code explained. It sends its own message
 * (…100 delivered, …402 aborted) so it does not depend on other files' sends.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { openNav, screenshot, sendSms, useLoggedInBrowser, waitForStat } from './lib'

let page: Page
useLoggedInBrowser((p) => (page = p))

const stat = async (label: string) => Number((await page.locator(`[data-stat="${label}"]`).textContent())?.trim())

describe('dashboard', () => {
  it('shows delivered and failed counts and draws the chart after sends', async () => {
    await sendSms(page, 'Dashboard check: your order has shipped', ['+12025559100', '+12025559402'])
    await waitForStat(page, 'In flight', '0')

    await openNav(page, 'Dashboard')
    await page.getByRole('heading', { name: 'Delivery dashboard' }).waitFor()
    await page.locator('[data-stat="Delivered"]').waitFor()
    assert.ok((await stat('Delivered')) >= 1, 'delivered is counted')
    assert.ok((await stat('Failed')) >= 1, 'failed is counted')
    assert.ok((await stat('Recipients')) >= 2)
    assert.match((await page.locator('[data-stat="Delivery rate"]').textContent()) ?? '', /\d+(\.\d+)?\s*%/)

    const chart = page.getByRole('figure', { name: /Recipients by (hour|day) sent/ })
    await chart.locator('svg.recharts-surface').first().waitFor()
    await chart.locator('.recharts-bar-rectangle path').first().waitFor()
    assert.ok((await chart.locator('.recharts-bar-rectangle path').count()) >= 2, 'bars for delivered and failed')
    await page.getByRole('region', { name: 'Top failure codes' }).getByText('402', { exact: true }).waitFor()
    await screenshot(page, 'dashboard.png')
  })

  it('by hour over the last 24 hours, still with the sends of today', async () => {
    await page.getByText('Last 24 hours', { exact: true }).click()
    const chart = page.getByRole('figure', { name: 'Recipients by hour sent, by where they stand now' })
    await chart.locator('.recharts-bar-rectangle path').first().waitFor()
    assert.ok((await stat('Delivered')) >= 1)
    assert.ok((await stat('Failed')) >= 1)
  })

  it('a custom period: what is wrong is said next to the days, and the statistics come back once it is right', async () => {
    await page.getByText('Custom', { exact: true }).click()
    const today = new Date()
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    const twoYearsAgo = new Date(today.getFullYear() - 2, today.getMonth(), today.getDate())
    await page.getByLabel('First day').fill(day(twoYearsAgo))
    // (Redwood's route announcer is an empty role=alert too.)
    await page.getByRole('alert').filter({ hasText: 'Choose at most 366 days.' }).waitFor()
    await page.getByText('No statistics until the period is right.').waitFor()
    assert.equal(await page.locator('[data-stat="Delivered"]').count(), 0)
    await page.getByLabel('First day').fill(day(today))
    await page.getByRole('alert').filter({ hasText: 'Choose at most 366 days.' }).waitFor({ state: 'detached' })
    await page.locator('[data-stat="Delivered"]').waitFor()
    assert.ok((await stat('Delivered')) >= 1, 'today’s sends are in a custom period of today')
  })
})
