/**
 * The inbox and replies: conversations per number and channel ordered by the
 * latest reply, read state per staff user, the unanswered filter, search and
 * paging; replies through the sending service (SMS as a one-recipient send
 * to the sandbox over real HTTP, its reports through the real callback
 * function), the WhatsApp window rule, opt-out refusal and who may do what.
 */
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { startCallbackServer } from 'testing/callbackServer'
import { callResolver as call } from 'testing/callResolver'
import { pointConfigAtSandbox } from 'testing/sandboxConfig'
import { signInAs } from 'testing/staff'

import { ForbiddenError } from '@redwoodjs/graphql-server'

import { db } from 'src/lib/db'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'
import { contactThread } from 'src/services/whatsapp/whatsapp'

import { conversations, markConversationRead, replyToConversation } from './conversations'

jest.setTimeout(30_000)

let restoreConfig: () => void
let sandbox: SinchSandbox
let callbacks: Awaited<ReturnType<typeof startCallbackServer>>

beforeAll(async () => {
  callbacks = await startCallbackServer()
  sandbox = await createSinchSandbox({
    callbackSecret: SANDBOX_CALLBACK_SECRET,
    stepDelayMs: 25,
    retryBaseMs: 20,
    maxAttempts: 3,
    conversationCallbackUrl: callbacks.url,
  })
  restoreConfig = pointConfigAtSandbox(sandbox.url, callbacks.url)
})
afterAll(async () => {
  restoreConfig()
  // Reports the sandbox still had on its timers would otherwise land after the last cleanup, as unmatched rows
  // in the next test file's database.
  await sandbox.close()
  await callbacks.close()
  await cleanUp()
})

let alice: number
let bob: number
beforeEach(async () => {
  const user = (email: string) =>
    db.user.create({ data: { email, hashedPassword: 'x', salt: 'y', role: 'sender', activatedAt: new Date() } })
  alice = (await user('alice@example.com')).id
  bob = (await user('bob@example.com')).id
})
afterEach(() => cleanUp())
async function cleanUp() {
  await db.contact.deleteMany()
  await db.smsStatusUpdate.deleteMany()
  await db.auditEvent.deleteMany()
  await db.conversationRead.deleteMany()
  await db.optOutEvent.deleteMany()
  await db.optOut.deleteMany()
  await db.inboundMessage.deleteMany()
  await db.message.deleteMany()
  await db.user.deleteMany()
  await db.callbackEvent.deleteMany()
  await db.whatsAppTemplate.deleteMany()
}

let seq = 0
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)
function reply(fromNumber: string, channel: 'SMS' | 'WHATSAPP', receivedAt: Date, body = 'hello') {
  seq += 1
  return db.inboundMessage.create({
    data: { channel, externalId: `test-${Date.now()}-${seq}`, fromNumber, body, receivedAt, rawPayload: {} },
  })
}
async function sent(phoneNumber: string, channel: 'SMS' | 'WHATSAPP', createdAt: Date) {
  return db.message.create({
    data: { body: 'earlier', channel, recipientCount: 1, createdAt, recipients: { create: [{ phoneNumber }] } },
  })
}

const inbox = async (args: { unansweredOnly?: boolean; search?: string; cursor?: string; take?: number } = {}) =>
  (await call(conversations, args)) as {
    items: { id: string; unreadCount: number; unanswered: boolean; lastInboundBody: string | null }[]
    nextCursor: string | null
  }
const ids = (page: { items: { id: string }[] }) => page.items.map((c) => c.id)

describe('the inbox', () => {
  it('one conversation per number and channel, the latest reply first, with its latest text', async () => {
    await reply('+12025550101', 'SMS', minutesAgo(30), 'first')
    await reply('+12025550102', 'WHATSAPP', minutesAgo(20))
    await reply('+12025550101', 'WHATSAPP', minutesAgo(10))
    await reply('+12025550101', 'SMS', minutesAgo(5), 'latest sms')
    // Stored last but dated earliest (a late callback): ordered by when it was received, not stored.
    await reply('+12025550103', 'SMS', minutesAgo(60))
    signInAs('viewer', { id: alice })
    const page = await inbox()
    expect(ids(page)).toEqual([
      'SMS:+12025550101',
      'WHATSAPP:+12025550101',
      'WHATSAPP:+12025550102',
      'SMS:+12025550103',
    ])
    expect(page.items[0].lastInboundBody).toBe('latest sms')
    expect(page.nextCursor).toBeNull()
  })

  it('read state is per staff user: opening a thread marks it read for that user only, up to what they saw', async () => {
    await reply('+12025550111', 'SMS', minutesAgo(3))
    const seen = await reply('+12025550111', 'WHATSAPP', minutesAgo(2))
    signInAs('viewer', { id: alice })
    expect((await inbox()).items.map((c) => c.unreadCount)).toEqual([1, 1])

    const thread = await call(contactThread, { phoneNumber: '+12025550111' })
    expect(thread.latestInboundId).toBe(seen.id)
    // A reply arriving after the thread was loaded stays unread.
    await reply('+12025550111', 'SMS', minutesAgo(0))
    expect(
      await call(markConversationRead, { phoneNumber: '+12025550111', upToInboundId: thread.latestInboundId! })
    ).toBe(2)

    const forAlice = await inbox()
    expect(forAlice.items.map((c) => [c.id, c.unreadCount])).toEqual([
      ['SMS:+12025550111', 1],
      ['WHATSAPP:+12025550111', 0],
    ])
    // An older tab marking read up to an earlier reply does not move the marker back.
    await call(markConversationRead, { phoneNumber: '+12025550111', upToInboundId: seen.id - 1 })
    expect((await inbox()).items.map((c) => c.unreadCount)).toEqual([1, 0])

    signInAs('viewer', { id: bob })
    expect((await inbox()).items.map((c) => c.unreadCount)).toEqual([2, 1])
  })

  it('unanswered: nothing sent to the number on that channel since its latest reply', async () => {
    await sent('+12025550121', 'SMS', minutesAgo(50))
    await reply('+12025550121', 'SMS', minutesAgo(40)) // answered below
    await sent('+12025550121', 'SMS', minutesAgo(30))
    await reply('+12025550122', 'SMS', minutesAgo(20)) // answered before the reply: unanswered
    await sent('+12025550122', 'SMS', minutesAgo(25))
    await reply('+12025550123', 'WHATSAPP', minutesAgo(10)) // answered on the other channel only: unanswered
    await sent('+12025550123', 'SMS', minutesAgo(5))
    signInAs('viewer', { id: alice })
    const all = await inbox()
    expect(all.items.map((c) => [c.id, c.unanswered])).toEqual([
      ['WHATSAPP:+12025550123', true],
      ['SMS:+12025550122', true],
      ['SMS:+12025550121', false],
    ])
    expect(ids(await inbox({ unansweredOnly: true }))).toEqual(['WHATSAPP:+12025550123', 'SMS:+12025550122'])
  })

  it('search by part of the number; pages by cursor without gaps or repeats; bounded', async () => {
    for (let i = 0; i < 7; i++) await reply(`+1202555013${i}`, 'SMS', minutesAgo(10 + i))
    await reply('+447700900123', 'SMS', minutesAgo(1))
    signInAs('viewer', { id: alice })
    expect(ids(await inbox({ search: '555 0133' }))).toEqual(['SMS:+12025550133'])
    expect(ids(await inbox({ search: '+44 7700' }))).toEqual(['SMS:+447700900123'])
    // Names come from the contact book; a name in no contact matches nothing (rather than everything).
    await db.contact.create({ data: { phoneNumber: '+12025550134', name: 'Alice Lindqvist' } })
    expect(ids(await inbox({ search: 'lindq' }))).toEqual(['SMS:+12025550134'])
    expect((await inbox({ search: 'lindq' })).items[0]).toMatchObject({ name: 'Alice Lindqvist' })
    expect(ids(await inbox({ search: 'Nobody' }))).toEqual([])
    expect(ids(await inbox({ search: '100%' }))).toEqual([])

    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await inbox({ take: 3, cursor })
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...ids(page))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(ids(await inbox({ take: 100 })))
    expect(seen).toHaveLength(8)

    // The same bound as every list's search (searchLimits), which the inbox's box takes from the api.
    await expect(call(conversations, { search: '1'.repeat(101) })).rejects.toThrow(/at most 100 characters/)
    await expect(call(conversations, { cursor: 'not-a-cursor' })).rejects.toThrow('Invalid cursor.')
    expect((await inbox({ take: 100_000 })).items.length).toBeLessThanOrEqual(100)
  })
})

const waitFor = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (ok(v)) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting; last: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('replying from a thread', () => {
  it('SMS: a one-recipient send to Sinch, audited as a reply, in the thread with its live status', async () => {
    const number = '+12025550151'
    await reply(number, 'SMS', minutesAgo(1), 'Can I move my appointment?')
    signInAs('sender', { id: alice })
    const message = await call(replyToConversation, {
      input: { phoneNumber: number, channel: 'SMS', body: 'Yes: reply with a day that suits you.' },
    })
    expect(message).toMatchObject({ channel: 'SMS', recipientCount: 1, submitState: 'SUBMITTED', createdById: alice })
    const batch = sandbox.batches.get(message.sinchBatchId!)
    expect(batch).toBeDefined()
    expect(JSON.stringify(batch)).toContain('12025550151')

    const audit = await db.auditEvent.findMany({ where: { targetId: message.id } })
    expect(audit).toMatchObject([
      { action: 'reply_sent', actorId: alice, details: { channel: 'SMS', recipients: 1, phoneNumber: number } },
    ])

    // The sandbox's reports arrive through the real callback function; the thread shows the reply's status move.
    const thread = await waitFor(
      () => call(contactThread, { phoneNumber: number }),
      (t) => t.entries.some((e) => e.messageId === message.id && e.status === 'Delivered')
    )
    expect(thread.entries.map((e) => e.direction)).toEqual(['INBOUND', 'OUTBOUND'])
    signInAs('viewer', { id: alice })
    expect((await inbox()).items[0]).toMatchObject({ id: `SMS:${number}`, unanswered: false })
  })

  it('WhatsApp: free text only inside the 24-hour window; outside it only a template, with its parameters', async () => {
    const number = '+12025550161'
    signInAs('sender', { id: alice })
    // An SMS reply does not open WhatsApp's window.
    await reply(number, 'SMS', minutesAgo(1))
    const before = sandbox.conversationSent.length
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'WHATSAPP', body: 'Hi' } })
    ).rejects.toThrow('Not sent: no reply from this number in the last 24 hours: choose a template.')
    // A WhatsApp reply 25 hours ago: closed as well.
    await reply(number, 'WHATSAPP', minutesAgo(25 * 60))
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'WHATSAPP', body: 'Hi' } })
    ).rejects.toThrow(/choose a template/)
    expect(await db.message.count()).toBe(0)
    expect(await db.auditEvent.count()).toBe(0)
    expect(sandbox.conversationSent.length).toBe(before)

    const template = await db.whatsAppTemplate.create({
      data: { name: 'follow_up', languageCode: 'en', body: 'About {{1}}: still there?', parameterNames: ['topic'] },
    })
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'WHATSAPP', templateId: template.id } })
    ).rejects.toThrow("Fill in the template's topic.")
    const viaTemplate = await call(replyToConversation, {
      input: { phoneNumber: number, channel: 'WHATSAPP', templateId: template.id, templateParameters: ['your order'] },
    })
    expect(viaTemplate).toMatchObject({
      channel: 'WHATSAPP',
      templateName: 'follow_up',
      body: 'About your order: still there?',
    })
    expect(sandbox.conversationSent.length).toBe(before + 1)

    // Inside the window (a WhatsApp reply a minute ago), free text goes.
    await reply(number, 'WHATSAPP', minutesAgo(1))
    const free = await call(replyToConversation, {
      input: { phoneNumber: number, channel: 'WHATSAPP', body: 'Thanks, noted.' },
    })
    expect(free).toMatchObject({ channel: 'WHATSAPP', body: 'Thanks, noted.', templateName: null })
    expect((await db.auditEvent.findMany({ orderBy: { id: 'asc' } })).map((a) => a.action)).toEqual([
      'reply_sent',
      'reply_sent',
    ])
    // Templates are WhatsApp's.
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'SMS', templateId: template.id } })
    ).rejects.toThrow('Templates are for WhatsApp')
  })

  it('an opted-out number is refused with the reason, and the thread shows when and why', async () => {
    const number = '+12025550171'
    const stop = await reply(number, 'SMS', minutesAgo(2), 'STOP')
    await db.optOut.create({ data: { phoneNumber: number, source: 'INBOUND', inboundMessageId: stop.id } })
    signInAs('sender', { id: alice })
    const batchesBefore = sandbox.batches.size
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'SMS', body: 'Sorry to see you go' } })
    ).rejects.toThrow(new RegExp(`^Not sent: \\${number} opted out \\(replied STOP on \\d{4}-\\d\\d-\\d\\d\\)\\.$`))
    expect(await db.message.count()).toBe(0)
    expect(await db.auditEvent.count()).toBe(0)
    expect(sandbox.batches.size).toBe(batchesBefore)

    const thread = await call(contactThread, { phoneNumber: number })
    expect(thread.optOut).toMatchObject({ reason: expect.stringMatching(/^opted out \(replied STOP on /) })
    expect(thread.optOut!.since).toBeInstanceOf(Date)
    signInAs('viewer', { id: alice })
    expect((await call(conversations, {})).items[0]).toMatchObject({ optedOut: true })
  })

  it('who may: viewers read and mark read, only senders and admins reply; signed out, nothing', async () => {
    const number = '+12025550181'
    const r = await reply(number, 'SMS', minutesAgo(1))
    signInAs('viewer', { id: alice })
    await call(conversations, {})
    await call(markConversationRead, { phoneNumber: number, upToInboundId: r.id })
    await expect(
      call(replyToConversation, { input: { phoneNumber: number, channel: 'SMS', body: 'Hi' } })
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await db.message.count()).toBe(0)

    for (const role of ['sender', 'admin'] as const) {
      signInAs(role, { id: alice })
      await call(replyToConversation, { input: { phoneNumber: number, channel: 'SMS', body: `From a ${role}` } })
    }
    expect(await db.message.count()).toBe(2)
    ;(mockCurrentUser as (user: unknown) => void)(null)
    await expect(call(conversations, {})).rejects.toThrow(/permission|authenticated/i)
    await expect(call(markConversationRead, { phoneNumber: number, upToInboundId: r.id })).rejects.toThrow(
      /permission|authenticated/i
    )
  })
})
