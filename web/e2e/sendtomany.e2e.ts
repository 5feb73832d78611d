/**
 * A send to a spreadsheet: a CSV of 2,500 rows with three bad lines fills a
 * template, the review shows what will go out, the send is scheduled a few
 * seconds ahead (the time input takes seconds), Sinch (the sandbox) holds its
 * batches until then, and the recipients then move. Another scheduled send is
 * cancelled before it goes: its recipients end Cancelled. A contact list is
 * sent to (its contacts' names and fields fill the template); a CSV's number
 * column is chosen from its header, with an expiry ("Give up after") that
 * reaches Sinch as expire_at; a saved template is deleted.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { SANDBOX_API_TOKEN, SANDBOX_SERVICE_PLAN_ID } from '../../api/src/lib/sandboxCredentials'

import { openNav, OUT, SANDBOX, SANDBOX_TIMEOUT, screenshot, useLoggedInBrowser, waitForStat } from './lib'

let page: Page
useLoggedInBrowser((p) => (page = p))

/** Swedish mobiles +46 70 130 00 00 onwards; none ending in a sandbox pattern that never ends. */
const num = (i: number) => `+467013${String(i).padStart(5, '0')}`

/** `yyyy-MM-ddTHH:mm:ss` in this machine's (and the browser's) time zone, as datetime-local takes it. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

async function openSendToMany() {
  await page.getByRole('link', { name: 'Send to many', exact: true }).first().click()
  await page.getByRole('heading', { name: 'Send an SMS to a spreadsheet, a contact list or many numbers' }).waitFor()
}

describe('send to a spreadsheet', () => {
  it('fills a template from a CSV, reviews, schedules, and the recipients move once it goes', async () => {
    const lines = ['phone,name,date']
    for (let i = 0; i < 2500; i++) lines.push(`${num(i)},Person ${i},Tue ${1 + (i % 28)} March`)
    lines[101] = 'not a number,Bad One,Mon'
    lines[1202] = '12,Bad Two,Mon'
    lines[2403] = '+46 70 ABC,Bad Three,Mon'
    const file = path.join(OUT, 'audience-2500.csv')
    fs.mkdirSync(OUT, { recursive: true })
    fs.writeFileSync(file, lines.join('\n'))

    await openSendToMany()
    await page.getByLabel('Message').fill('Hi ((name)), your appointment is on ((date)).')
    await page.locator('input[name="csv"]').setInputFiles(file)
    await page.getByLabel('Later').check()
    const goesAt = new Date(Date.now() + 40_000)
    await page.getByLabel('Send at').fill(localInput(goesAt))
    await page.getByRole('button', { name: 'Review' }).click()

    await page.locator('[data-review="recipients"]', { hasText: '2,497' }).waitFor({ timeout: 60_000 })
    assert.equal(await page.locator('[data-review="invalid"]').textContent(), '3')
    await page.getByText('3 invalid rows').click()
    await page.getByText(/line 102: not a number/).waitFor()
    await page.getByText(/line 2404:/).waitFor()
    await page
      .locator(`[data-preview="${num(0)}"]`, { hasText: 'Hi Person 0, your appointment is on Tue 1 March.' })
      .waitFor()
    assert.equal(await page.locator('[data-review="parts"]').textContent(), '2,497')
    await screenshot(page, 'send-to-many-review.png')

    await page.getByRole('button', { name: 'Schedule 2,497 messages' }).click()
    await page.locator('[data-send-state="scheduled"]').waitFor()
    await page.locator('[data-chunk-progress="3/3"]').waitFor({ timeout: SANDBOX_TIMEOUT })
    // Held by Sinch until then: nobody has a report yet.
    if (Date.now() < goesAt.getTime() - 2000) {
      assert.equal(await page.locator('[data-stat="Delivered"]').textContent(), '0')
      assert.equal(await page.locator('[data-stat="In flight"]').textContent(), '2497')
    }
    await page.locator(`[data-recipient="${num(0)}"] [data-filled-text]`, { hasText: 'Hi Person 0' }).waitFor()

    // Once it goes, the recipients move.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-stat="Delivered"]')?.textContent?.replace(/\D/g, '') ?? '0') > 0,
      undefined,
      { timeout: 40_000 + 60_000 }
    )
    assert.ok(Date.now() >= goesAt.getTime() - 1000, 'nothing was delivered before the scheduled time')
    await screenshot(page, 'send-to-many-going.png')
  })

  it('cancels a scheduled send before it goes', async () => {
    await openSendToMany()
    await page.getByLabel('Message').fill('Reminder: the office is closed on Friday.')
    await page.getByLabel('Pasted numbers').check()
    await page.getByLabel('Numbers, one per line').fill([num(3000), num(3001), num(3002)].join('\n'))
    await page.getByLabel('Later').check()
    await page.getByLabel('Send at').fill(localInput(new Date(Date.now() + 3600_000)))
    await page.getByRole('button', { name: 'Review' }).click()
    // The api may still be storing the 7,491 reports of the send above: give it time.
    await page.getByRole('button', { name: 'Schedule 3 messages' }).click({ timeout: 60_000 })
    await page.locator('[data-send-state="scheduled"]').waitFor({ timeout: 60_000 })
    await page.locator('[data-chunk-progress="1/1"]').waitFor({ timeout: 60_000 })

    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: 'Cancel scheduled message' }).click()
    await page.locator('[data-send-state="cancelled"]').waitFor({ timeout: 60_000 })
    await page.locator(`[data-recipient="${num(3001)}"] [data-status="Cancelled"]`).waitFor({ timeout: 60_000 })
    await waitForStat(page, 'In flight', '0', 60_000)
    await screenshot(page, 'send-to-many-cancelled.png')
  })

  it('sends to a contact list: the list with its size, the names and fields of its contacts filling the template', async () => {
    // A list of three, imported through the contacts page.
    await openNav(page, 'Contacts')
    await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor()
    const rows = ['phone,name,city', `${num(4000)},Ana,Oslo`, `${num(4001)},Ben,Rome`, `${num(4002)},Cleo,Lima`]
    await page
      .getByLabel('Import a CSV file')
      .setInputFiles({ name: 'audience-list.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') })
    await page.getByRole('form', { name: 'Choose the columns' }).waitFor()
    await page.getByLabel('New list name').fill('Audience e2e')
    await page.getByRole('button', { name: 'Import' }).click()
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 })

    await openSendToMany()
    await page.getByLabel('Message').fill('Hi ((name)), see you in ((city)).')
    await page.getByLabel('A contact list').check()
    const list = page.getByLabel('Contact list', { exact: true })
    await list.locator('option', { hasText: 'Audience e2e (3 contacts)' }).waitFor({ state: 'attached' })
    await list.selectOption({ label: 'Audience e2e (3 contacts)' })
    await page.getByRole('button', { name: 'Review' }).click()
    await page.locator('[data-review="recipients"]', { hasText: '3' }).waitFor({ timeout: 60_000 })
    await page.locator(`[data-preview="${num(4001)}"]`, { hasText: 'Hi Ben, see you in Rome.' }).waitFor()
    await screenshot(page, 'send-to-many-list-review.png')
    await page.getByRole('button', { name: 'Send 3 messages' }).click({ timeout: 60_000 })
    await page.locator('[data-chunk-progress="1/1"]').waitFor({ timeout: 60_000 })
    await page
      .locator(`[data-recipient="${num(4002)}"] [data-filled-text]`, { hasText: 'Hi Cleo, see you in Lima.' })
      .waitFor()
  })

  it('takes the numbers from the chosen column, and gives Sinch the expiry', async () => {
    // "mobile" is the column the desk guesses; the numbers to use are in "work".
    const lines = ['name,mobile,work', `Dana,${num(5000)},${num(5100)}`, `Eli,${num(5001)},${num(5101)}`]
    const file = path.join(OUT, 'audience-columns.csv')
    fs.writeFileSync(file, lines.join('\n'))
    await openSendToMany()
    await page.getByLabel('Message').fill('Hello')
    await page.getByLabel('A CSV file').check()
    await page.getByLabel('CSV with a header row').setInputFiles(file)
    const column = page.getByLabel('Numbers are in the column')
    await column.waitFor()
    assert.equal(await column.inputValue(), 'mobile')
    await column.selectOption('work')
    await page.getByRole('button', { name: '((name))' }).click()
    assert.equal(await page.getByLabel('Message').inputValue(), 'Hello ((name))')

    // An expiry past Sinch's limit is refused before the api is asked, with the reason.
    const expireAt = page.getByLabel('Give up after')
    await expireAt.fill(localInput(new Date(Date.now() + 4 * 24 * 3600_000)))
    await page.getByRole('button', { name: 'Review' }).click()
    await page.getByText(/Sinch keeps trying for at most 72 hours/).waitFor()
    await screenshot(page, 'send-to-many-expiry-refused.png')
    const expiry = new Date(Date.now() + 2 * 3600_000)
    expiry.setMilliseconds(0)
    await expireAt.fill(localInput(expiry))
    await page.getByRole('button', { name: 'Review' }).click()
    await page.locator(`[data-preview="${num(5100)}"]`, { hasText: 'Hello Dana' }).waitFor({ timeout: 60_000 })
    assert.equal(await page.locator(`[data-preview="${num(5000)}"]`).count(), 0)
    await page.locator('[data-review="expires"]').waitFor()
    await screenshot(page, 'send-to-many-columns-review.png')
    await page.getByRole('button', { name: 'Send 2 messages' }).click({ timeout: 60_000 })
    await page.locator('[data-chunk-progress="1/1"]').waitFor({ timeout: 60_000 })
    await page.locator('[data-expire-at]').waitFor()

    // What Sinch (the sandbox) received: the work numbers, and expire_at.
    const messageId = page.url().split('/').pop()!
    const res = await fetch(
      `${SANDBOX}/xms/v1/${SANDBOX_SERVICE_PLAN_ID}/batches?client_reference=${encodeURIComponent(`${messageId}.0`)}`,
      { headers: { authorization: `Bearer ${SANDBOX_API_TOKEN}` } }
    )
    assert.equal(res.status, 200)
    const { batches } = (await res.json()) as { batches: { to: string[]; expire_at?: string }[] }
    assert.equal(batches.length, 1)
    assert.deepEqual(
      [...batches[0].to].sort(),
      [num(5100), num(5101)].map((n) => n.slice(1))
    )
    assert.equal(new Date(batches[0].expire_at!).getTime(), expiry.getTime())
  })

  it('deletes a saved template after a confirmation', async () => {
    await openSendToMany()
    await page.getByLabel('Message').fill('Your table for ((size)) is ready.')
    await page.getByLabel('Template name').fill('Table ready')
    await page.getByRole('button', { name: 'Save as template' }).click()
    const picker = page.getByLabel('Template', { exact: true })
    await picker.locator('option', { hasText: 'Table ready' }).waitFor({ state: 'attached' })
    await picker.selectOption({ label: 'Table ready' })

    page.once('dialog', (d) => void d.dismiss())
    await page.getByRole('button', { name: 'Delete template' }).click()
    assert.equal(await picker.locator('option', { hasText: 'Table ready' }).count(), 1)

    page.once('dialog', (d) => {
      assert.match(d.message(), /Delete the template “Table ready”\?/)
      void d.accept()
    })
    await page.getByRole('button', { name: 'Delete template' }).click()
    await page.getByText('Template “Table ready” deleted').waitFor()
    await picker.locator('option', { hasText: 'Table ready' }).waitFor({ state: 'detached' })
    await screenshot(page, 'send-to-many-template-deleted.png')
  })
})
