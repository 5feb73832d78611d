/**
 * A team on one desk: the admin invites a sender and a viewer (links shown to
 * the admin, no email), each signs in through their link; the sender sends,
 * the viewer cannot (no Compose, and the api refuses the mutation itself);
 * the audit log shows who did what.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'

import type { Browser, Page } from 'playwright-core'

import { BASE, launch, loginAs, openNav, screenshot, sendSms } from './lib'

const SENDER = 'sam.sender@example.com'
const VIEWER = 'vic.viewer@example.com'
const PASSWORD = 'a-long-team-password'

let admin: { browser: Browser; page: Page } | undefined

after(async () => {
  await admin?.browser.close()
})

async function invite(page: Page, email: string, role: 'sender' | 'viewer'): Promise<string> {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption(role)
  await page.getByRole('button', { name: 'Invite' }).click()
  await page.getByText(`Invitation for ${email}`).waitFor()
  const link = await page.getByTestId('user-link').inputValue()
  assert.match(link, new RegExp(`^${BASE}/set-password\\?token=[\\w-]{43}$`))
  return link
}

/** A separate browser session (its own cookies) that follows an invitation link and signs in. */
async function acceptInvitation(browser: Browser, link: string, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await page.goto(link)
  assert.equal(await page.getByTestId('link-email').textContent(), email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await page.getByRole('heading', { name: 'Messages' }).waitFor()
  return page
}

/** Sends a GraphQL request with this page's session, as the web app does. */
function graphqlAs(page: Page, query: string) {
  return page.evaluate(async (q) => {
    const token = await (await fetch('/api/auth?method=getToken', { credentials: 'include' })).text()
    const response = await fetch('/api/graphql', {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', 'auth-provider': 'dbAuth', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: q }),
    })
    return (await response.json()) as { data?: unknown; errors?: { message: string }[] }
  }, query)
}

describe('a team on one desk', () => {
  let senderLink = ''
  let viewerLink = ''
  let body = ''

  it('the admin invites a sender and a viewer; the links are shown to pass on', async () => {
    admin = await launch()
    await loginAs(admin!.page)
    await openNav(admin!.page, 'Users')
    await admin!.page.getByRole('heading', { name: 'Users' }).waitFor()
    await admin!.page.getByText('no email is sent').waitFor()
    // Not an email address: said on the field, and nobody is invited.
    await admin!.page.getByLabel('Email').fill('sam.sender')
    await admin!.page.getByRole('button', { name: 'Invite' }).click()
    await admin!.page.getByText('This is not an email address (name@example.com).').waitFor()
    assert.equal(await admin!.page.getByText('Invitation for').count(), 0)
    senderLink = await invite(admin!.page, SENDER, 'sender')
    viewerLink = await invite(admin!.page, VIEWER, 'viewer')
    await admin!.page.locator(`[data-user="${VIEWER}"] [data-status]`).filter({ hasText: 'invited' }).waitFor()
    await screenshot(admin!.page, 'team-users.png')
  })

  it('the sender signs in with the link and sends', async () => {
    const page = await acceptInvitation(admin!.browser, senderLink, SENDER)
    assert.equal(await page.getByTestId('role').textContent(), 'sender')
    assert.equal(await page.getByRole('link', { name: 'Users', exact: true }).count(), 0)
    body = `Team e2e ${Date.now()}`
    await sendSms(page, body, ['+12025550100'])
    // The link worked once.
    const again = await admin!.browser.newContext()
    const other = await again.newPage()
    await other.goto(senderLink)
    await other.getByText('This link has been used, has expired or is not valid').waitFor()
    await again.close()
  })

  it('the viewer signs in with the link and cannot send: no Compose, and the api refuses', async () => {
    const page = await acceptInvitation(admin!.browser, viewerLink, VIEWER)
    assert.equal(await page.getByTestId('role').textContent(), 'viewer')
    assert.equal(await page.getByRole('link', { name: 'Compose', exact: true }).count(), 0)
    // The message list is readable.
    await page.getByText(body).first().waitFor()
    // /compose sends a viewer back to the messages.
    await page.goto(`${BASE}/compose`)
    await page.getByRole('heading', { name: 'Messages' }).waitFor()
    const refused = await graphqlAs(
      page,
      'mutation { sendMessage(input: { body: "viewer try", recipients: "+12025550100" }) { message { id } } }'
    )
    assert.match(refused.errors?.[0]?.message ?? '', /don't have access/)
    const read = await graphqlAs(page, '{ messages(take: 5) { items { body } } }')
    const bodies = (read.data as { messages: { items: { body: string }[] } }).messages.items.map((m) => m.body)
    assert.ok(bodies.includes(body))
    assert.ok(!bodies.includes('viewer try'), 'nothing was sent')
    await screenshot(page, 'team-viewer.png')
  })

  it('the audit log shows the invitations, the sign-ins and the send, by whom', async () => {
    await openNav(admin!.page, 'Audit log')
    await admin!.page.getByRole('heading', { name: 'Audit log' }).waitFor()
    const row = (action: string, who: string) =>
      admin!.page.locator(`tr[data-action="${action}"]`).filter({ hasText: who })
    await row('message_sent', SENDER).waitFor()
    assert.equal(await row('user_invited', 'first.staff@example.com').count(), 2)
    assert.equal(await row('invitation_accepted', SENDER).count(), 1)
    assert.equal(await row('invitation_accepted', VIEWER).count(), 1)
    assert.ok((await row('sign_in', VIEWER).count()) >= 1)
    assert.equal(await row('message_sent', VIEWER).count(), 0)
    // Filter by user and action: the sender sent one message.
    await admin!.page.getByLabel('User').selectOption({ label: SENDER })
    await admin!.page.getByLabel('Action').selectOption('message_sent')
    await admin!.page
      .getByTestId('audit-total')
      .filter({ hasText: /^1 event$/ })
      .waitFor()
    assert.equal(await row('message_sent', SENDER).count(), 1)
    await screenshot(admin!.page, 'team-audit.png')
  })
})
