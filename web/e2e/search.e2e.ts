/**
 * Finding messages: the list's search and filters live in the URL, so a
 * reload, Back after opening a message, and Back after changing a filter all
 * show the same list; typing sends one search per pause, not one per key.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page, Request } from 'playwright-core'

import { BASE, screenshot, sendSms, useLoggedInBrowser, waitForStat } from './lib'

const ABORTED = '+12025558402'
const DELIVERED = '+12025558100'

let page: Page
useLoggedInBrowser((p) => (page = p))

/** The `search` variable of every MessagesQuery the page sends from now on. */
function recordSearches(p: Page) {
  const searches: unknown[] = []
  const listener = (request: Request) => {
    const body = request.method() === 'POST' && request.url().includes('/graphql') ? request.postDataJSON() : null
    if (body?.operationName === 'MessagesQuery') searches.push(body.variables?.search ?? null)
  }
  p.on('request', listener)
  return { searches, stop: () => p.off('request', listener) }
}

const listed = (p: Page, body: string) => p.getByRole('link', { name: new RegExp(body) })

describe('finding messages', () => {
  it('keeps the search and filters in the URL through reload and Back, and searches once per pause', async () => {
    const tag = Date.now().toString(36)
    const failing = `Lighthouse tour ${tag} moved to 14:00`
    const fine = `Harbour ferry ${tag} leaves on time`
    await sendSms(page, failing, [ABORTED, DELIVERED])
    await waitForStat(page, 'Failed', '1')
    await sendSms(page, fine, [DELIVERED])

    await page.goto(`${BASE}/`)
    await listed(page, fine).waitFor()
    const box = page.getByRole('searchbox', { name: /Search/ })
    const { searches, stop } = recordSearches(page)
    // Typed like a person: a key every 40 ms, well inside one pause.
    await box.pressSequentially(`tour ${tag}`, { delay: 40 })
    await page.waitForURL((url) => url.searchParams.get('q') === `tour ${tag}`)
    await listed(page, failing).waitFor()
    await page.waitForTimeout(1000)
    stop()
    const sent = searches.filter((s) => s !== null)
    assert.equal(sent[sent.length - 1], `tour ${tag}`)
    // One search for the typed words (the web tests pin exactly one per pause, typing with no delay; here a
    // loaded machine may stall the browser for longer than a pause once), never one per keystroke. Counted by text:
    // a report for one of the two messages above, pushed meanwhile, refetches the same search, which is no new one.
    const texts = [...new Set(sent)]
    assert.ok(
      texts.length <= 2,
      `${texts.length} searches for ${`tour ${tag}`.length} keystrokes: ${texts.join(' | ')}`
    )
    assert.equal(await listed(page, fine).count(), 0, 'the search hides the other message')

    // Any failure, then a reload: the same list.
    await page.getByRole('checkbox', { name: 'Any failure' }).check()
    await page.waitForURL((url) => url.searchParams.get('failed') === '1')
    await page.reload()
    await listed(page, failing).waitFor()
    assert.equal(await box.inputValue(), `tour ${tag}`)
    assert.ok(await page.getByRole('checkbox', { name: 'Any failure' }).isChecked())

    // A filter that matches nothing says so, and Back undoes it.
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('WHATSAPP')
    await page.getByText('Nothing matches these filters.').waitFor()
    await page.goBack()
    await listed(page, failing).waitFor()
    assert.equal(await page.getByRole('combobox', { name: 'Channel' }).inputValue(), '')

    // Open the message, then Back: the list as it was.
    const listUrl = page.url()
    await listed(page, failing).click()
    await page.getByRole('heading', { name: failing }).waitFor()
    await page.goBack()
    await listed(page, failing).waitFor()
    assert.equal(page.url(), listUrl)
    assert.equal(await box.inputValue(), `tour ${tag}`)
    assert.ok(await page.getByRole('checkbox', { name: 'Any failure' }).isChecked())
    assert.equal(await listed(page, fine).count(), 0)
    await screenshot(page, 'messages-search.png')

    // Clearing the filters shows every message again.
    await page.getByRole('combobox', { name: 'Channel' }).selectOption('WHATSAPP')
    await page.getByRole('link', { name: 'Clear the filters' }).click()
    await listed(page, fine).waitFor()
    assert.equal(new URL(page.url()).search, '')
    assert.equal(await box.inputValue(), '')
  })

  it("searches a message's recipients by number, kept in the URL", async () => {
    await page.goto(`${BASE}/`)
    await page
      .getByRole('link', { name: /Lighthouse tour/ })
      .first()
      .click()
    await page.locator(`[data-recipient="${DELIVERED}"]`).waitFor()
    await page.getByRole('searchbox', { name: 'Number' }).fill('558402')
    await page.waitForURL((url) => url.searchParams.get('q') === '558402')
    await page.getByText('1 recipient match').waitFor()
    assert.equal(await page.locator(`[data-recipient="${DELIVERED}"]`).count(), 0)
    await page.reload()
    await page.getByText('1 recipient match').waitFor()
    await page.locator(`[data-recipient="${ABORTED}"]`).waitFor()
    assert.equal(await page.getByRole('searchbox', { name: 'Number' }).inputValue(), '558402')
  })
})
