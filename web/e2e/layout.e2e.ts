/**
 * Every page at a laptop's width (1280 px) and a phone's (390 px): a full-page
 * screenshot of each into web/test-results/ (layout-<page>-<width>.png), and
 * none scrolls sideways (document.documentElement.scrollWidth <= clientWidth).
 * Also: the header is one row at 1280 px and, on a phone, a bar with a Menu
 * button rather than ~200 px of links; a message's recipients read as cards on
 * a phone; an unknown message and an unknown route show the desk's own pages.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import type { Browser, BrowserContext, Page } from 'playwright-core'

import { BASE, launch, loginAs, screenshot, sendSms } from './lib'

const WIDTHS = [1280, 390] as const
const RECIPIENTS = ['+12025557100', '+12025557402']

let browser: Browser
let page: Page
let messagePath = ''

/** Where each page is, and what shows once it has loaded. */
const PAGES: { name: string; path: () => string; ready: (page: Page) => Promise<void> }[] = [
  { name: 'messages', path: () => '/', ready: (p) => p.getByRole('heading', { name: 'Messages' }).waitFor() },
  {
    name: 'message',
    path: () => messagePath,
    ready: (p) => p.locator(`[data-recipient="${RECIPIENTS[0]}"]`).waitFor(),
  },
  {
    name: 'contact',
    // As the app links to it (routes.contact): the + as it is.
    path: () => `/contacts/${RECIPIENTS[0]}`,
    ready: (p) => p.getByRole('heading', { name: `Conversation with ${RECIPIENTS[0]}` }).waitFor(),
  },
  { name: 'compose', path: () => '/compose', ready: (p) => p.getByRole('heading', { name: 'Compose an SMS' }).waitFor() },
  {
    name: 'send-to-many',
    path: () => '/send-to-many',
    ready: (p) => p.getByRole('heading', { name: 'Send an SMS to a spreadsheet, a contact list or many numbers' }).waitFor(),
  },
  {
    name: 'contacts',
    path: () => '/contacts',
    ready: (p) => p.getByRole('heading', { name: 'Contacts', exact: true }).waitFor(),
  },
  {
    name: 'dashboard',
    path: () => '/dashboard',
    ready: (p) => p.getByRole('heading', { name: 'Delivery dashboard' }).waitFor(),
  },
  { name: 'callbacks', path: () => '/callbacks', ready: (p) => p.getByRole('heading', { name: 'Callback log' }).waitFor() },
  {
    name: 'opt-outs',
    path: () => '/opt-outs',
    ready: (p) => p.getByRole('heading', { name: 'Opt-outs', exact: true }).waitFor(),
  },
  {
    name: 'whatsapp-templates',
    path: () => '/whatsapp-templates',
    ready: (p) => p.getByRole('heading', { name: 'WhatsApp templates' }).waitFor(),
  },
  { name: 'users', path: () => '/users', ready: (p) => p.getByRole('heading', { name: 'Users' }).waitFor() },
  { name: 'audit', path: () => '/audit', ready: (p) => p.getByRole('heading', { name: 'Audit log' }).waitFor() },
  {
    name: 'message-unknown',
    path: () => '/messages/no-such-message',
    ready: (p) => p.getByRole('heading', { name: 'No such message' }).waitFor(),
  },
  {
    name: 'not-found',
    path: () => '/no-such-page',
    ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor(),
  },
]

/** Pages of someone signed out. */
const SIGNED_OUT: typeof PAGES = [
  { name: 'login', path: () => '/login', ready: (p) => p.getByRole('button', { name: 'Log in' }).waitFor() },
  {
    name: 'set-password',
    path: () => '/set-password?token=not-a-real-token',
    ready: (p) => p.waitForLoadState('networkidle'),
  },
  {
    name: 'not-found-signed-out',
    path: () => '/no-such-page',
    ready: (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor(),
  },
]

async function sidewaysOverflow(p: Page) {
  return p.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }))
}

/** Visits each page at this width; returns the ones that scroll sideways (all pages are visited and shot first). */
async function visitAll(p: Page, pages: typeof PAGES, width: number): Promise<string[]> {
  const sideways: string[] = []
  await p.setViewportSize({ width, height: 900 })
  for (const pg of pages) {
    await p.goto(`${BASE}${pg.path()}`)
    await pg.ready(p)
    // Let cells that load after the first paint (badges, counts, the chart) settle.
    await p.waitForLoadState('networkidle').catch(() => undefined)
    await screenshot(p, `layout-${pg.name}-${width}.png`)
    const { scrollWidth, clientWidth } = await sidewaysOverflow(p)
    if (scrollWidth > clientWidth) sideways.push(`${pg.name} (${scrollWidth} > ${clientWidth})`)
  }
  return sideways
}

before(async () => {
  const launched = await launch()
  browser = launched.browser
  page = launched.page
  await loginAs(page)
  await sendSms(page, 'Your parcel is at the kiosk until Friday', RECIPIENTS)
  messagePath = new URL(page.url()).pathname
})

after(async () => {
  await browser?.close()
})

describe('layout at 1280 and 390 px', () => {
  for (const width of WIDTHS) {
    it(`no page scrolls sideways at ${width} px, and each is in the test results`, async () => {
      assert.deepEqual(await visitAll(page, PAGES, width), [], `pages that scroll sideways at ${width} px`)
    })
  }

  it('signed out: the login and link pages do not scroll sideways either', async () => {
    const context: BrowserContext = await browser.newContext()
    try {
      const signedOut = await context.newPage()
      for (const width of WIDTHS)
        assert.deepEqual(await visitAll(signedOut, SIGNED_OUT, width), [], `pages that scroll sideways at ${width} px`)
    } finally {
      await context.close()
    }
  })

  it('the header is one row at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${BASE}/`)
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
    const brand = await page.getByRole('link', { name: 'Sinch Delivery Desk' }).boundingBox()
    const lastLink = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').last().boundingBox()
    const account = await page.getByTestId('account').boundingBox()
    assert.ok(brand && lastLink && account)
    for (const box of [lastLink, account])
      assert.ok(Math.abs(box.y + box.height / 2 - (brand.y + brand.height / 2)) < 8, 'on the brand’s row')
    assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false, 'no Menu button')
  })

  it('on a phone the header is a bar with a Menu, and the navigation opens from it', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${BASE}/`)
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
    const header = await page.locator('header').boundingBox()
    assert.ok(header && header.height <= 64, `the header takes ${header?.height} px`)
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false)
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click()
    await page.getByRole('heading', { name: 'Delivery dashboard' }).waitFor()
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false, 'closed after choosing')
  })

  it("on a phone a message's recipients read as cards, not a table to scroll", async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${BASE}${messagePath}`)
    const row = page.locator(`[data-recipient="${RECIPIENTS[0]}"]`)
    await row.waitFor()
    assert.equal(await row.evaluate((el) => getComputedStyle(el).display), 'block')
    assert.equal(await page.locator('thead').first().isVisible(), false, 'no column headings')
    const box = await row.boundingBox()
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the card fits the screen')
  })

  it('an unknown message is a not-found page: no live dot, no recipients', async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${BASE}/messages/no-such-message`)
    await page.getByRole('heading', { name: 'No such message' }).waitFor()
    assert.equal(await page.locator('[data-live]').count(), 0)
    assert.equal(await page.getByRole('heading', { name: 'Recipients' }).count(), 0)
    await page.getByRole('link', { name: 'See all messages' }).click()
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
  })

  it("an unknown route is the desk's own page, with its navigation", async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${BASE}/no-such-page`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Callback log' }).click()
    await page.getByRole('heading', { name: 'Callback log' }).waitFor()
  })
})
