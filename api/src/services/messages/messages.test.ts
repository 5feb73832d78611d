import { db } from 'src/lib/db'

import {
  message,
  messages,
  messageSenders,
  Message as MessageFields,
  MessageRecipient as RecipientFields,
} from './messages'
import type { StandardScenario } from './messages.scenarios'

// Relation resolvers take (args, { root }); the rest of the GraphQL info is unused.
const field = <A, R>(resolver: unknown, args: A, root: R) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the shape its resolver returns
  (resolver as (a: A, o: { root: R }) => unknown)(args, { root }) as Promise<any>

const at = (s: string) => new Date(`2025-03-01T10:00:${s}Z`)
const ids = (page: { items: { id: string }[] }) => page.items.map((m) => m.id)

describe('messages', () => {
  scenario('lists newest first and pages with a keyset cursor', async () => {
    const first = await messages({ take: 2 })
    expect(ids(first)).toEqual(['msg_parcel', 'msg_reminder'])
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await messages({ take: 2, cursor: first.nextCursor })
    expect(ids(second)).toEqual(['msg_refused'])
    expect(second.nextCursor).toBeNull()
  })

  scenario('filters by a recipient status, a date range and a search term', async () => {
    expect(ids(await messages({ status: 'Aborted' }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ status: 'Pending' }))).toEqual(['msg_reminder', 'msg_refused'])
    expect(ids(await messages({ from: '2025-02-28T00:00:00Z', to: '2025-02-28T23:59:59Z' }))).toEqual(['msg_reminder'])
    expect(ids(await messages({ search: 'ord-42' }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ search: '+46 70 222' }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ search: '0000002' }))).toEqual(['msg_reminder'])
    expect(ids(await messages({ search: 'nothing-like-this' }))).toEqual([])
  })

  scenario('refuses a forged cursor with a clear error', async () => {
    await expect(messages({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow('Invalid cursor.')
  })
})

describe('finding messages', () => {
  scenario('searches the body and the reference, whatever the case, and the id', async () => {
    expect(ids(await messages({ search: 'PARCEL is on' }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ search: 'appointment' }))).toEqual(['msg_reminder'])
    expect(ids(await messages({ search: 'appt-7' }))).toEqual(['msg_reminder'])
    expect(ids(await messages({ search: '  msg_refused ' }))).toEqual(['msg_refused'])
    // Words with digits in them are words: "way 2222" is not a part of parcel's +46702222222.
    expect(ids(await messages({ search: 'way 2222' }))).toEqual([])
    expect(ids(await messages({ search: '70 222-22' }))).toEqual(['msg_parcel'])
    // LIKE's wildcards are the user's text, not patterns.
    expect(ids(await messages({ search: '%%%' }))).toEqual([])
    expect(ids(await messages({ search: '___' }))).toEqual([])
  })

  scenario('filters by sender, channel, any failure and failure code, alone and combined', async () => {
    const alice = await db.user.create({ data: { email: 'alice@example.com', hashedPassword: 'x', salt: 'x' } })
    await db.message.update({ where: { id: 'msg_parcel' }, data: { createdById: alice.id } })
    await db.message.update({ where: { id: 'msg_reminder' }, data: { channel: 'WHATSAPP' } })

    expect(ids(await messages({ sentBy: alice.id }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ channel: 'WHATSAPP' }))).toEqual(['msg_reminder'])
    expect(ids(await messages({ channel: 'SMS' }))).toEqual(['msg_parcel', 'msg_refused'])
    // Failed: a recipient in a failure status (parcel's Aborted) or Sinch refused the message.
    expect(ids(await messages({ failed: true }))).toEqual(['msg_parcel', 'msg_refused'])
    expect(ids(await messages({ failureCode: 402 }))).toEqual(['msg_parcel'])
    expect(ids(await messages({ failureCode: 0 }))).toEqual([])
    expect(ids(await messages({ failed: true, channel: 'SMS', search: 'refused' }))).toEqual(['msg_refused'])
    expect(ids(await messages({ failed: true, sentBy: alice.id + 1 }))).toEqual([])
    expect((await messageSenders()).map((u) => u.email)).toContain('alice@example.com')
  })

  scenario('pages a filtered list with its cursor', async () => {
    const first = await messages({ failed: true, take: 1 })
    expect(ids(first)).toEqual(['msg_parcel'])
    const second = await messages({ failed: true, take: 1, cursor: first.nextCursor })
    expect(ids(second)).toEqual(['msg_refused'])
    expect(second.nextCursor).toBeNull()
  })

  scenario('pages a search newest first, whichever way each message matched', async () => {
    // One matches by its body, the other by its reference.
    await db.message.update({ where: { id: 'msg_reminder' }, data: { clientReference: 'ROUTE-9' } })
    await db.message.update({ where: { id: 'msg_parcel' }, data: { body: 'Your parcel is en route' } })
    const seen: string[] = []
    let cursor: string | null | undefined = undefined
    do {
      const page = await messages({ search: 'rou', take: 1, cursor })
      seen.push(...ids(page))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(['msg_parcel', 'msg_reminder'])
  })

  scenario('refuses out-of-bounds arguments with a clear error', async () => {
    await expect(messages({ take: 0 })).rejects.toThrow('take must be between 1 and 100.')
    await expect(messages({ take: 101 })).rejects.toThrow('take must be between 1 and 100.')
    await expect(messages({ search: 'ab' })).rejects.toThrow('Search needs at least 3 characters.')
    await expect(messages({ search: 'x'.repeat(101) })).rejects.toThrow('Search text is at most 100 characters.')
    await expect(messages({ status: 'Nonsense' })).rejects.toThrow('Unknown status "Nonsense".')
    await expect(messages({ from: 'yesterday' })).rejects.toThrow('from is not a date.')
  })
})

describe('one message', () => {
  scenario('reports progress, counts and the median time to deliver', async (scenario: StandardScenario) => {
    const root = await message({ id: scenario.message.parcel.id })
    expect(await field(MessageFields.progress, {}, root)).toEqual({
      total: 3,
      final: 3,
      delivered: 2,
      failed: 1,
      inFlight: 0,
      // Delivered after 4 s and 10 s.
      medianTimeToDeliverMs: 7000,
    })
    expect(await field(MessageFields.statusCounts, {}, root)).toEqual([
      { status: 'Delivered', count: 2 },
      { status: 'Aborted', count: 1 },
    ])
    const reminder = await message({ id: scenario.message.reminder.id })
    expect(await field(MessageFields.progress, {}, reminder)).toEqual(
      expect.objectContaining({ total: 1, final: 0, inFlight: 1, medianTimeToDeliverMs: null })
    )
  })

  scenario(
    'takes the median over the delivered recipients with a time: the middle one of an odd number',
    async (scenario: StandardScenario) => {
      const id = scenario.message.parcel.id
      // Delivered after 4 s and 10 s already; a third after 6 s, and a fourth with no time (not in the median).
      await db.messageRecipient.createMany({
        data: [
          { messageId: id, phoneNumber: '+46701111113', status: 'Delivered', statusRank: 3, statusAt: at('06') },
          { messageId: id, phoneNumber: '+46701111114', status: 'Delivered', statusRank: 3, statusAt: null },
        ],
      })
      const root = await message({ id })
      expect(await field(MessageFields.progress, {}, root)).toEqual(
        expect.objectContaining({ total: 5, delivered: 4, medianTimeToDeliverMs: 6000 })
      )
    }
  )

  scenario(
    'a WhatsApp DELIVERED counts as delivered and final, though READ may still follow',
    async (scenario: StandardScenario) => {
      const id = scenario.message.reminder.id
      await db.messageRecipient.updateMany({
        where: { messageId: id },
        data: { status: 'DELIVERED', statusRank: 2, statusAt: new Date('2025-02-28T09:00:02Z') },
      })
      const root = await message({ id })
      expect(await field(MessageFields.progress, {}, root)).toEqual({
        total: 1,
        final: 1,
        delivered: 1,
        failed: 0,
        inFlight: 0,
        medianTimeToDeliverMs: 2000,
      })
    }
  )

  scenario('pages its recipients and filters them by status or number', async (scenario: StandardScenario) => {
    const root = await message({ id: scenario.message.parcel.id })
    const page = await field(MessageFields.recipients, { take: 2 }, root)
    expect(page.total).toBe(3)
    expect(page.items.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+46701111111', '+46702222222'])
    const rest = await field(MessageFields.recipients, { take: 2, cursor: page.nextCursor }, root)
    expect(rest.items.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+46703333333'])
    expect(rest.nextCursor).toBeNull()
    const aborted = await field(MessageFields.recipients, { status: 'Aborted' }, root)
    expect(aborted.total).toBe(1)
    const bySearch = await field(MessageFields.recipients, { search: '2222' }, root)
    expect(bySearch.items.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+46702222222'])
    const byCode = await field(MessageFields.recipients, { failureCode: 402 }, root)
    expect(byCode.items.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(['+46703333333'])
    expect(byCode.total).toBe(1)
    // Delivered recipients carry code 0 too: a failure code only finds failed ones.
    expect((await field(MessageFields.recipients, { failureCode: 0 }, root)).total).toBe(0)
    await expect(field(MessageFields.recipients, { take: 501 }, root)).rejects.toThrow(
      'take must be between 1 and 500.'
    )
    await expect(field(MessageFields.recipients, { search: '22' }, root)).rejects.toThrow(
      'Search needs at least 3 characters.'
    )
    await expect(field(MessageFields.recipients, { search: 'abc' }, root)).rejects.toThrow(
      'Search recipients by a part of their number (digits).'
    )
  })

  scenario('orders status counts as the status catalog does, not by count', async (scenario: StandardScenario) => {
    // Two Aborted, one Delivered: the catalog puts Delivered first, whatever the counts.
    await db.messageRecipient.updateMany({
      where: { phoneNumber: '+46702222222' },
      data: { status: 'Aborted', code: 402 },
    })
    const root = await message({ id: scenario.message.parcel.id })
    const expected = [
      { status: 'Delivered', count: 1 },
      { status: 'Aborted', count: 2 },
    ]
    expect(await field(MessageFields.statusCounts, {}, root)).toEqual(expected)
    const listed = (await messages({ search: 'parcel' })).items[0]
    expect(await field(MessageFields.statusCounts, {}, listed)).toEqual(expected)
  })

  scenario('explains a recipient and lists its timeline in event order', async () => {
    const recipient = await db.messageRecipient.findFirstOrThrow({ where: { phoneNumber: '+46701111111' } })
    expect(
      await field(RecipientFields.timeline, {}, recipient).then((t: { status: string }[]) => t.map((u) => u.status))
    ).toEqual(['Queued', 'Dispatched', 'Delivered'])
    expect(await field(RecipientFields.timeToDeliverMs, {}, recipient)).toBe(4000)
    expect(RecipientFields.isFinal?.({}, { root: recipient } as never)).toBe(true)
    const aborted = await db.messageRecipient.findFirstOrThrow({ where: { phoneNumber: '+46703333333' } })
    expect(RecipientFields.isFailure?.({}, { root: aborted } as never)).toBe(true)
    expect(RecipientFields.codeMeaning?.({}, { root: aborted } as never)).toMatch(/^402 Message unroutable/)
  })
})
