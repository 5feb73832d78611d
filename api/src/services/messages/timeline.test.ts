import { execute, parse } from 'graphql'
import pg from 'pg'

import { makeMergedSchema, type ServicesGlobImports } from '@redwoodjs/graphql-server'

import requireAuth from 'src/directives/requireAuth/requireAuth'
import * as messagesSdl from 'src/graphql/messages.sdl'
import { db } from 'src/lib/db'

import * as messagesService from './messages'

// The resolvers as the GraphQL server runs them: the batching under test only
// happens when the executor resolves a page's timelines side by side.
const schema = makeMergedSchema({
  sdls: { messages: { schema: messagesSdl.schema, resolvers: {} } },
  // The resolver types are stricter than the glob-import type the server itself is given.
  services: { messages_messages: messagesService } as unknown as ServicesGlobImports,
  directives: [requireAuth],
  subscriptions: [],
})

/** Runs a query and counts the SQL statements that read status reports. */
async function run(source: string, variables: Record<string, unknown>) {
  const statements: string[] = []
  const original = pg.Client.prototype.query
  const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: never[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text
    if (text?.includes('"SmsStatusUpdate"')) statements.push(text)
    return (original as (...a: never[]) => unknown).apply(this, args)
  } as never)
  try {
    const result = await execute({ schema, document: parse(source), variableValues: variables })
    expect(result.errors).toBeUndefined()
    return { data: result.data as never, timelineQueries: statements.length }
  } finally {
    spy.mockRestore()
  }
}

/** A message with `count` recipients, each with a Queued and a Delivered report (stored out of order). */
async function messageWithReports(id: string, count: number) {
  await db.message.create({
    data: {
      id,
      body: 'Batch',
      recipientCount: count,
      submitState: 'SUBMITTED',
      sinchBatchId: `BATCH_${id}`,
      recipients: {
        create: Array.from({ length: count }, (_, i) => {
          const phoneNumber = `+4670${id.length}${String(i).padStart(6, '0')}`
          const report = (status: string, second: number) => ({
            dedupeKey: `${id}-${i}-${status}`,
            batchId: `BATCH_${id}`,
            phoneNumber,
            status,
            at: new Date(`2025-03-01T10:00:${String(second).padStart(2, '0')}Z`),
            rawPayload: { status },
          })
          return {
            phoneNumber,
            status: 'Delivered',
            statusRank: 3,
            updates: { create: [report('Delivered', 20 + (i % 30)), report('Queued', 1 + (i % 10))] },
          }
        }),
      },
    },
  })
}

type RecipientItems = { items: { phoneNumber: string; timeline: { status: string }[] }[] }

describe('recipient timelines', () => {
  beforeEach(() => {
    mockCurrentUser({ id: 1, email: 'staff@example.com' })
  })

  scenario('a page of recipients loads every timeline in one query', async () => {
    await messageWithReports('msg_many', 40)
    const { data, timelineQueries } = await run(
      `query ($id: String!) { message(id: $id) { recipients(take: 40) { items { phoneNumber timeline { status } } } } }`,
      { id: 'msg_many' }
    )
    const items = (data as { message: { recipients: RecipientItems } }).message.recipients.items
    expect(items).toHaveLength(40)
    // Each recipient gets its own reports, in event order.
    for (const r of items) expect(r.timeline.map((u) => u.status)).toEqual(['Queued', 'Delivered'])
    expect(new Set(items.map((r) => r.phoneNumber)).size).toBe(40)
    expect(timelineQueries).toBe(1)
  })

  scenario('a list of messages costs at most one timeline query per page of recipients', async () => {
    await messageWithReports('msg_a', 15)
    await messageWithReports('msg_bb', 15)
    await messageWithReports('msg_ccc', 15)
    const { data, timelineQueries } = await run(
      `query { messages(take: 10) { items { id recipients(take: 50) { items { timeline { status } } } } } }`,
      {}
    )
    const messages = (data as { messages: { items: { id: string; recipients: RecipientItems }[] } }).messages.items
    const withReports = messages.filter((m) => m.recipients.items.some((r) => r.timeline.length > 0))
    expect(withReports.map((m) => m.id).sort()).toEqual(['msg_a', 'msg_bb', 'msg_ccc'])
    expect(withReports.flatMap((m) => m.recipients.items)).toHaveLength(45)
    expect(timelineQueries).toBeLessThanOrEqual(messages.length)
  })
})
