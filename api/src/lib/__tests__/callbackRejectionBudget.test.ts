/**
 * Refused callbacks are recorded at most CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR
 * times per client address and hour; the rest are counted, and a flood does
 * not get in the way of real callbacks.
 */
import { callbackEvent, recipientReport, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { signInAs } from 'testing/staff'

import { flushRefusedCounts, resetRefusedCallbackBudgetMemory } from 'src/lib/callbackRejectionBudget'
import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { refusedCallbacksNotRecorded } from 'src/services/refusedCallbackBudget/refusedCallbackBudget'

import { handler } from '../../functions/sinchCallbacks'

const call = (event: ReturnType<typeof callbackEvent>) => handler(event, {} as never)

const report = (n: number) =>
  recipientReport({
    batchId: 'BUDGET_BATCH',
    recipient: `4670000${String(n).padStart(4, '0')}`,
    status: 'Delivered',
    code: 0,
    at: '2025-03-01T10:00:00.000Z',
  })

const fromAddress = (ip: string, secret = 'not-the-secret', n = 0) =>
  callbackEvent(report(n), { secret, headers: { 'x-forwarded-for': ip } })

/** This file's client addresses (test files share the database and run side by side: touch only these). */
const MINE = ['198.51.100.20', '203.0.113.66', '203.0.113.67', '203.0.113.68']

async function removeMine() {
  await db.callbackRejection.deleteMany({ where: { remoteAddress: { in: MINE } } })
  await db.callbackRejectionBudget.deleteMany({ where: { clientAddress: { in: MINE } } })
}

beforeEach(async () => {
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET}`
  process.env.CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR = '5'
  resetConfigForTests()
  resetRefusedCallbackBudgetMemory()
  await removeMine()
})

afterAll(async () => {
  delete process.env.CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR
  resetConfigForTests()
  // What the real callbacks stored (UNMATCHED: no message), so other test files do not see it.
  await db.smsStatusUpdate.deleteMany({ where: { batchId: 'BUDGET_BATCH' } })
  await db.callbackEvent.deleteMany({ where: { batchId: 'BUDGET_BATCH' } })
  await removeMine()
})

describe('the refused-callback budget', () => {
  it('records the first N refusals of an address in an hour and counts the rest; other addresses keep theirs', async () => {
    // Evidence from Sinch's address, before the flood.
    expect((await call(fromAddress('198.51.100.20'))).statusCode).toBe(401)
    const flood = await Promise.all(Array.from({ length: 200 }, () => call(fromAddress('203.0.113.66'))))
    expect(flood.every((r) => r.statusCode === 401 && r.body === '{"error":"unauthenticated"}')).toBe(true)
    for (let i = 0; i < 50; i++) await call(fromAddress('203.0.113.66'))
    expect((await call(fromAddress('198.51.100.20'))).statusCode).toBe(401)

    const rows = await db.callbackRejection.groupBy({
      by: ['remoteAddress'],
      where: { remoteAddress: { in: MINE } },
      _count: true,
      orderBy: { remoteAddress: 'asc' },
    })
    expect(rows).toEqual([
      { remoteAddress: '198.51.100.20', _count: 2 },
      { remoteAddress: '203.0.113.66', _count: 5 },
    ])
    await flushRefusedCounts()
    const budget = await db.callbackRejectionBudget.findMany({
      where: { clientAddress: { in: MINE } },
      orderBy: { clientAddress: 'asc' },
    })
    expect(budget.map(({ clientAddress, refused, recorded }) => ({ clientAddress, refused, recorded }))).toEqual([
      { clientAddress: '198.51.100.20', refused: 2, recorded: 2 },
      { clientAddress: '203.0.113.66', refused: 250, recorded: 5 },
    ])

    // The not-recorded counts are refused-callback diagnostics: an admin's to read.
    signInAs('admin')
    const listed = await refusedCallbacksNotRecorded({}, {} as never)
    expect(listed.perAddressPerHour).toBe(5)
    expect(listed.addresses.filter((a) => MINE.includes(a.clientAddress))).toEqual([
      { clientAddress: '203.0.113.66', refused: 250, recorded: 5, notRecorded: 245, lastHour: expect.any(Date) },
    ])
    expect(listed.totalNotRecorded).toBeGreaterThanOrEqual(245)
  })

  it('once an instance knows an address is over budget, its refusals no longer touch the database', async () => {
    for (let i = 0; i < 6; i++) await call(fromAddress('203.0.113.67'))
    const spy = jest.spyOn(db, '$queryRaw')
    const create = jest.spyOn(db.callbackRejection, 'create')
    try {
      for (let i = 0; i < 100; i++) expect((await call(fromAddress('203.0.113.67'))).statusCode).toBe(401)
      expect(spy).not.toHaveBeenCalled()
      expect(create).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
      create.mockRestore()
    }
    await flushRefusedCounts()
    const budget = await db.callbackRejectionBudget.findFirstOrThrow({ where: { clientAddress: '203.0.113.67' } })
    expect(budget).toMatchObject({ refused: 106, recorded: 5 })
  })

  it('real callbacks during a flood are all stored', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 10 === 0 ? call(fromAddress('203.0.113.68', TEST_CALLBACK_SECRET, i)) : call(fromAddress('203.0.113.68'))
      )
    )
    const real = answers.filter((_, i) => i % 10 === 0)
    expect(real.map((r) => r.statusCode)).toEqual(Array(30).fill(200))
    expect(await db.callbackEvent.count({ where: { batchId: 'BUDGET_BATCH' } })).toBeGreaterThanOrEqual(30)
    expect(await db.callbackRejection.count({ where: { remoteAddress: '203.0.113.68' } })).toBe(5)
  })
})
