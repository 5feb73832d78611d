/**
 * Contacts and lists: a CSV of 2,500 rows with three bad lines is uploaded,
 * its columns mapped, imported in the background with a progress bar; the
 * three bad lines are reported by line number and the list holds the rest.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import type { Page } from 'playwright-core'

import { openNav, screenshot, useLoggedInBrowser } from './lib'

let page: Page
useLoggedInBrowser((p) => (page = p))

/** Line numbers count the header as line 1. */
const BAD_LINES = new Map([
  [101, 'not-a-number'],
  [1201, ''],
  [2400, '12'],
])

function csvFile(): Buffer {
  const lines = ['phone,name,city']
  for (let line = 2; line <= 2501; line++) {
    const bad = BAD_LINES.get(line)
    const number = bad ?? `+4673${String(1_000_000 + line)}`
    lines.push(`${number},Person ${line},City ${line % 7}`)
  }
  return Buffer.from(lines.join('\n') + '\n')
}

describe('contacts and lists', () => {
  it('imports 2,500 rows with three bad lines, showing progress and the lines, into a list', async () => {
    await openNav(page, 'Contacts')
    await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor()
    await page
      .getByLabel('Import a CSV file')
      .setInputFiles({ name: 'volunteers.csv', mimeType: 'text/csv', buffer: csvFile() })

    // The mapping step: the headers, the first rows, the number column guessed.
    const mapping = page.getByRole('form', { name: 'Choose the columns' })
    await mapping.waitFor()
    assert.equal(await page.getByLabel('Column phone is').inputValue(), 'number')
    assert.equal(await page.getByLabel('Column name is').inputValue(), 'name')
    assert.equal(await page.getByLabel('Column city is').inputValue(), 'field')
    await mapping.getByText('+46731000002').waitFor()
    await page.getByLabel('New list name').fill('Volunteers 2026')
    await screenshot(page, 'contacts-mapping.png')
    await page.getByRole('button', { name: 'Import' }).click()

    // The progress bar shows as soon as the import is queued, then the result.
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor()
    const summary = page.getByTestId('import-summary')
    await summary.waitFor({ timeout: 60_000 })
    assert.match(
      (await summary.textContent()) ?? '',
      /Imported 2,500 rows: 2,497 new contacts, 0 already in the book \(merged\), 0 duplicate rows merged, 0 opted out, 3 bad rows/
    )
    const badRows = page.getByRole('table', { name: 'Bad rows' })
    for (const [line] of BAD_LINES) await badRows.locator(`tr[data-line="${line}"]`).waitFor()
    assert.equal(await badRows.locator('tbody tr').count(), 3)
    assert.match((await badRows.locator('tr[data-line="1201"]').textContent()) ?? '', /no phone number/)
    assert.match((await badRows.locator('tr[data-line="2400"]').textContent()) ?? '', /too short/)
    await screenshot(page, 'contacts-imported.png')

    // The list.
    await page.getByRole('link', { name: 'Open the list “Volunteers 2026”' }).click()
    await page.getByRole('heading', { name: 'Volunteers 2026' }).waitFor()
    assert.match((await page.getByTestId('list-summary').textContent()) ?? '', /^2,497 contacts/)
    await page.getByLabel('Search').fill('46731000002')
    await page.locator('tr[data-contact="+46731000002"]').waitFor()
    assert.match(
      (await page.locator('tr[data-contact="+46731000002"]').textContent()) ?? '',
      /Person 2.*city:\s*City 2/
    )
    const exportLink = page.getByRole('link', { name: 'Export as CSV' })
    assert.match((await exportLink.getAttribute('href')) ?? '', /^\/api\/exportContacts\?listId=\d+$/)
    await screenshot(page, 'contacts-list.png')
  })

  it('a file that is not UTF-8 is refused with a clear error', async () => {
    await openNav(page, 'Contacts')
    const latin1 = Buffer.concat([Buffer.from('phone,name\n+46731000001,'), Buffer.from([0xc5]), Buffer.from('sa\n')])
    await page
      .getByLabel('Import a CSV file')
      .setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 })
    await page.getByRole('alert').filter({ hasText: 'not valid UTF-8' }).waitFor()
  })
})
