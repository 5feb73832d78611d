/**
 * Delivery-report correctness over the callback handler, on real Postgres
 * (issue 16 items 1–5 and the unmatched limit of item 7): what a report may
 * change about a recipient, whatever its format, its time or its status.
 */
import fs from 'node:fs'
import path from 'node:path'

import { callbackEvent, recipientReport, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { recordBatchSubmitted } from 'src/services/smsStatus/attach'
import { reprocessCallbackEvent } from 'src/services/smsStatus/reprocess'

import { handler } from '../sinchCallbacks'

const call = (body: string | object) => handler(callbackEvent(body), {} as never)
const bodyOf = (res: { body: string }) => JSON.parse(res.body)

const ENV_KEYS = ['SINCH_CALLBACK_SECRETS', 'SINCH_CALLBACK_AUTH', 'SINCH_CALLBACK_MAX_UNMATCHED_REPORTS']
const saved: Record<string, string | undefined> = {}
beforeAll(() => ENV_KEYS.forEach((k) => (saved[k] = process.env[k])))
beforeEach(() => {
  ENV_KEYS.forEach((k) => delete process.env[k])
  process.env.SINCH_CALLBACK_SECRETS = TEST_CALLBACK_SECRET
  resetConfigForTests()
})
afterAll(() => {
  ENV_KEYS.forEach((k) => (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k])))
  resetConfigForTests()
})

const recipientOf = (phoneNumber: string, messageId = 'msg_submitted') =>
  db.messageRecipient.findUniqueOrThrow({ where: { messageId_phoneNumber: { messageId, phoneNumber } } })
const historyOf = async (phoneNumber: string) =>
  db.smsStatusUpdate.findMany({
    where: { recipientId: (await recipientOf(phoneNumber)).id },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  })

const AT = '2025-03-01T10:00:05.123Z'
const OPERATOR_AT = '2025-03-01T10:00:04.000Z'
const report = (fields: Partial<Parameters<typeof recipientReport>[0]> = {}) =>
  recipientReport({
    batchId: 'BATCH_SUBMITTED',
    recipient: '46701234567',
    status: 'Delivered',
    code: 0,
    at: AT,
    operatorStatusAt: OPERATOR_AT,
    ...fields,
  })
const batchReport = (
  statuses: { status: string; code: number; recipients: string[] }[],
  batchId = 'BATCH_SUBMITTED'
) => ({
  type: 'delivery_report_sms',
  batch_id: batchId,
  total_message_count: statuses.reduce((n, s) => n + s.recipients.length, 0),
  statuses: statuses.map((s) => ({ ...s, count: s.recipients.length })),
})

describe('batch reports next to per-recipient reports', () => {
  scenario('a batch report repeating a known status adds no row and moves no time', async () => {
    expect(bodyOf(await call(report()))).toMatchObject({ status: 'accepted', stored: 1 })
    const res = await call(batchReport([{ status: 'Delivered', code: 0, recipients: ['46701234567'] }]))
    expect(res.statusCode).toBe(200)
    expect(bodyOf(res)).toMatchObject({ status: 'duplicate', stored: 0 })

    expect((await historyOf('+46701234567')).map((u) => u.status)).toEqual(['Delivered'])
    const recipient = await recipientOf('+46701234567')
    expect(recipient.statusAt?.toISOString()).toBe(AT)
    expect(recipient.operatorStatusAt?.toISOString()).toBe(OPERATOR_AT)
    expect(recipient.statusAtApproximate).toBe(false)
    expect((await db.callbackEvent.findFirstOrThrow({ orderBy: { id: 'desc' } })).verdict).toBe('DUPLICATE')
  })

  scenario('a per-recipient report after the batch report replaces its row and its time', async () => {
    const before = Date.now()
    expect(
      bodyOf(await call(batchReport([{ status: 'Delivered', code: 0, recipients: ['46701234567'] }])))
    ).toMatchObject({ status: 'accepted', stored: 1 })
    const approximate = await recipientOf('+46701234567')
    expect(approximate).toMatchObject({ status: 'Delivered', statusAtApproximate: true, operatorStatusAt: null })
    expect(approximate.statusAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect((await historyOf('+46701234567')).map((u) => u.timeSource)).toEqual(['BATCH_ARRIVAL'])

    expect(bodyOf(await call(report()))).toMatchObject({ status: 'accepted', stored: 1 })
    const history = await historyOf('+46701234567')
    expect(history.map((u) => [u.status, u.timeSource])).toEqual([['Delivered', 'REPORTED']])
    const exact = await recipientOf('+46701234567')
    expect(exact.statusAt?.toISOString()).toBe(AT)
    expect(exact.operatorStatusAt?.toISOString()).toBe(OPERATOR_AT)
    expect(exact.statusAtApproximate).toBe(false)

    // The batch report again (Sinch retries it): nothing new.
    expect(
      bodyOf(await call(batchReport([{ status: 'Delivered', code: 0, recipients: ['46701234567'] }])))
    ).toMatchObject({ status: 'duplicate', stored: 0 })
    expect(await historyOf('+46701234567')).toHaveLength(1)
  })

  scenario('a batch report with a new status records it, marked, at its arrival', async () => {
    await call(report({ status: 'Dispatched', code: 401 }))
    const before = Date.now()
    const res = await call(batchReport([{ status: 'Delivered', code: 0, recipients: ['46701234567'] }]))
    expect(bodyOf(res)).toMatchObject({ status: 'accepted', stored: 1 })
    const history = await historyOf('+46701234567')
    expect(history.map((u) => [u.status, u.timeSource])).toEqual([
      ['Dispatched', 'REPORTED'],
      ['Delivered', 'BATCH_ARRIVAL'],
    ])
    const recipient = await recipientOf('+46701234567')
    expect(recipient).toMatchObject({ status: 'Delivered', statusAtApproximate: true })
    expect(recipient.statusAt!.getTime()).toBeGreaterThanOrEqual(before - 1000)
  })

  scenario('a batch report never replaces a status that has Sinch’s own time', async () => {
    await call(report())
    const res = await call(batchReport([{ status: 'Failed', code: 404, recipients: ['46701234567'] }]))
    expect(bodyOf(res)).toMatchObject({ status: 'accepted', stored: 1 })
    // Kept in the history (it is news), but the latest status keeps its better time.
    expect((await historyOf('+46701234567')).map((u) => u.status)).toEqual(['Delivered', 'Failed'])
    const recipient = await recipientOf('+46701234567')
    expect(recipient).toMatchObject({ status: 'Delivered', code: 0, statusAtApproximate: false })
    expect(recipient.statusAt?.toISOString()).toBe(AT)
    expect(recipient.operatorStatusAt?.toISOString()).toBe(OPERATOR_AT)
  })

  scenario('a batch-report row waiting for its message is superseded when both are attached', async () => {
    await call(batchReport([{ status: 'Delivered', code: 0, recipients: ['12025550101'] }], 'BATCH_LATE'))
    await call(report({ batchId: 'BATCH_LATE', recipient: '12025550101' }))
    await recordBatchSubmitted({ messageId: 'msg_racing', batchId: 'BATCH_LATE' })
    const recipient = await recipientOf('+12025550101', 'msg_racing')
    expect(recipient).toMatchObject({ status: 'Delivered', statusAtApproximate: false })
    expect(recipient.statusAt?.toISOString()).toBe(AT)
    const rows = await db.smsStatusUpdate.findMany({ where: { recipientId: recipient.id } })
    expect(rows.map((u) => u.timeSource)).toEqual(['REPORTED'])
  })
})

describe('phone number formats', () => {
  scenario('00, +, spaces and tel: name the same recipient as the MSISDN', async () => {
    const first = await call(report({ recipient: '0046701234567' }))
    expect(bodyOf(first)).toMatchObject({ status: 'accepted', state: 'processed', stored: 1 })
    expect((await recipientOf('+46701234567')).status).toBe('Delivered')
    for (const format of [
      '46701234567',
      '+46701234567',
      '+46 70 123 45 67',
      'tel:+46-70-123-45-67',
      '0046 (0)70 1234567',
    ]) {
      const res = await call(report({ recipient: format }))
      expect([format, res.statusCode, bodyOf(res).status]).toEqual([format, 200, 'duplicate'])
    }
    expect(await db.smsStatusUpdate.count({ where: { recipientId: null } })).toBe(0)
  })

  scenario('a reply from a 00 number is stored under its E.164 number', async () => {
    const res = await call({
      type: 'mo_text',
      id: 'MO_00',
      from: '0046701234567',
      to: '12345',
      body: 'hello',
      received_at: '2025-03-01T10:00:00.000Z',
    })
    expect(res.statusCode).toBe(200)
    expect((await db.inboundMessage.findFirstOrThrow()).fromNumber).toBe('+46701234567')
  })

  scenario('what is no phone number in any format is refused with 400', async () => {
    const res = await call(report({ recipient: '46-70-abc' }))
    expect(res.statusCode).toBe(400)
    expect(bodyOf(res).detail).toMatch(/recipient/)
  })
})

describe('payloads nested too deeply', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

  for (const [kind, body] of [
    ['a delivery report', JSON.stringify(report())],
    [
      'an mo_text',
      JSON.stringify({ type: 'mo_text', id: 'MO_DEEP', from: '46701234567', to: '1', body: 'x', received_at: AT }),
    ],
  ]) {
    scenario(`${kind} with a field nested 5,000 deep is a 400 with a rejected callback-log row`, async () => {
      const raw = body.replace(/}$/, `,"extra":${nested(5000)}}`)
      const res = await call(raw)
      expect(res.statusCode).toBe(400)
      expect(bodyOf(res).detail).toMatch(/nested deeper than 64/)
      const event = await db.callbackEvent.findFirstOrThrow()
      expect(event).toMatchObject({ verdict: 'REJECTED', processingState: 'REJECTED' })
      expect(event.rawBody).toBe(raw)
      expect(await db.smsStatusUpdate.count()).toBe(0)
      expect(await db.inboundMessage.count()).toBe(0)
    })
  }

  scenario('nesting at the limit, brackets inside strings and escapes are fine', async () => {
    const raw = JSON.stringify(report()).replace(/}$/, `,"extra":${nested(60)},"text":"[[[[\\"{{{{"}`)
    expect((await call(raw)).statusCode).toBe(200)
  })
})

describe('report times in the future', () => {
  scenario('a report dated 9999 is stored at its receipt time and the real report still wins', async () => {
    const before = Date.now()
    const res = await call(
      report({ status: 'Failed', code: 404, at: '9999-01-01T00:00:00.000Z', operatorStatusAt: undefined })
    )
    expect(bodyOf(res)).toMatchObject({ status: 'accepted', stored: 1 })
    const [row] = await historyOf('+46701234567')
    expect(row.timeSource).toBe('CLAMPED')
    expect(row.at.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(row.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
    const event = await db.callbackEvent.findFirstOrThrow()
    expect(event.error).toMatch(/9999-01-01T00:00:00.000Z is more than 300 s after we received/)
    expect(await recipientOf('+46701234567')).toMatchObject({ status: 'Failed', statusAtApproximate: true })

    // The real report, dated a moment before the bogus one arrived.
    const realAt = new Date(before - 60_000).toISOString()
    expect(bodyOf(await call(report({ at: realAt, operatorStatusAt: undefined })))).toMatchObject({ stored: 1 })
    const recipient = await recipientOf('+46701234567')
    expect(recipient).toMatchObject({ status: 'Delivered', statusAtApproximate: false })
    expect(recipient.statusAt?.toISOString()).toBe(realAt)

    // The bogus report again is the same report (its own time is in the key).
    expect(
      bodyOf(
        await call(report({ status: 'Failed', code: 404, at: '9999-01-01T00:00:00.000Z', operatorStatusAt: undefined }))
      )
    ).toMatchObject({
      status: 'duplicate',
    })
  })

  scenario('a time within the tolerance is kept as Sinch gave it', async () => {
    const soon = new Date(Date.now() + 120_000).toISOString()
    await call(report({ at: soon, operatorStatusAt: undefined }))
    const [row] = await historyOf('+46701234567')
    expect(row).toMatchObject({ timeSource: 'REPORTED' })
    expect(row.at.toISOString()).toBe(soon)
  })

  scenario('an inbound message dated in the future is stored at its receipt time', async () => {
    await call({
      type: 'mo_text',
      id: 'MO_FUTURE',
      from: '46701234567',
      to: '1',
      body: 'hi',
      received_at: '9999-01-01T00:00:00Z',
    })
    const inbound = await db.inboundMessage.findFirstOrThrow()
    expect(inbound.receivedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
    expect((await db.callbackEvent.findFirstOrThrow()).error).toMatch(/received_at/)
  })

  scenario('the callback log keeps the clamped-time note when the callback is re-processed', async () => {
    await call(report({ batchId: 'BATCH_NOT_YET_KNOWN', at: '9999-01-01T00:00:00.000Z' }))
    const event = await db.callbackEvent.findFirstOrThrow()
    expect(event).toMatchObject({ processingState: 'UNMATCHED', error: expect.stringMatching(/\bat\b/) })
    expect(await reprocessCallbackEvent(event.id)).toMatchObject({ state: 'UNMATCHED' })
    expect((await db.callbackEvent.findFirstOrThrow()).error).toBe(event.error)
  })
})

describe('statuses Sinch does not document', () => {
  scenario('"INVALID" is kept in the history but never becomes the latest status', async () => {
    await call(report({ status: 'Dispatched', code: 401, at: '2025-03-01T10:00:01.000Z' }))
    const res = await call(report({ status: 'INVALID', code: 0, at: '2025-03-01T10:00:02.000Z' }))
    expect(bodyOf(res)).toMatchObject({ status: 'accepted', stored: 1 })
    expect((await historyOf('+46701234567')).map((u) => u.status)).toEqual(['Dispatched', 'INVALID'])
    expect(await recipientOf('+46701234567')).toMatchObject({ status: 'Dispatched', code: 401 })
  })

  scenario('an undocumented status first leaves the recipient Pending, and the real one still wins', async () => {
    await call(report({ status: 'delivered', code: 0, at: '2025-03-01T10:00:09.000Z' }))
    expect((await recipientOf('+46701234567')).status).toBe('Pending')
    await call(report({ status: 'Delivered', code: 0, at: '2025-03-01T10:00:01.000Z' }))
    expect((await recipientOf('+46701234567')).status).toBe('Delivered')
  })
})

describe('how many unmatched reports one callback may store', () => {
  const unknown = (n: number) => Array.from({ length: n }, (_, i) => `4670999${String(i).padStart(4, '0')}`)

  scenario(
    'beyond SINCH_CALLBACK_MAX_UNMATCHED_REPORTS they are counted, not stored, and the log says so',
    async () => {
      process.env.SINCH_CALLBACK_MAX_UNMATCHED_REPORTS = '5'
      resetConfigForTests()
      const res = await call(
        batchReport([
          { status: 'Delivered', code: 0, recipients: ['46701234567', ...unknown(8)] },
          { status: 'Failed', code: 404, recipients: unknown(4).map((n) => n.replace('4670999', '4670888')) },
        ])
      )
      expect(res.statusCode).toBe(200)
      expect(bodyOf(res)).toEqual({ status: 'accepted', state: 'unmatched', stored: 6, notStored: 7 })
      expect(await db.smsStatusUpdate.count({ where: { recipientId: null } })).toBe(5)
      expect((await recipientOf('+46701234567')).status).toBe('Delivered')
      const event = await db.callbackEvent.findFirstOrThrow()
      expect(event).toMatchObject({ processingState: 'UNMATCHED', reportsStored: 6 })
      expect(event.error).toMatch(
        /^7 reports for recipients we do not know were not stored: one callback stores at most 5/
      )
    }
  )

  scenario('the default limit (1,000) stores a 10,000-recipient batch report of strangers as 1,000 rows', async () => {
    const res = await call(
      batchReport([{ status: 'Delivered', code: 0, recipients: unknown(10_000) }], 'BATCH_STRANGERS')
    )
    expect(bodyOf(res)).toMatchObject({ state: 'unmatched', stored: 1000, notStored: 9000 })
    expect(await db.smsStatusUpdate.count()).toBe(1000)
  })

  scenario(
    'a capped callback stays re-processable after its message is recorded, and then stores the rest',
    async () => {
      process.env.SINCH_CALLBACK_MAX_UNMATCHED_REPORTS = '1'
      resetConfigForTests()
      const res = await call(
        batchReport([{ status: 'Delivered', code: 0, recipients: ['12025550101', '12025550102'] }], 'BATCH_CAPPED')
      )
      expect(bodyOf(res)).toMatchObject({ state: 'unmatched', stored: 1, notStored: 1 })
      await recordBatchSubmitted({ messageId: 'msg_racing', batchId: 'BATCH_CAPPED' })
      const event = await db.callbackEvent.findFirstOrThrow()
      expect(event).toMatchObject({ processingState: 'UNMATCHED', reportsNotStored: 1 })

      expect(await reprocessCallbackEvent(event.id)).toMatchObject({ state: 'PROCESSED', stored: 1, unmatched: 0 })
      for (const n of ['+12025550101', '+12025550102']) {
        expect((await recipientOf(n, 'msg_racing')).status).toBe('Delivered')
      }
      expect(await db.callbackEvent.findFirstOrThrow()).toMatchObject({ reportsNotStored: 0, error: null })
    }
  )

  scenario('re-processing keeps to the limit', async () => {
    process.env.SINCH_CALLBACK_MAX_UNMATCHED_REPORTS = '2'
    resetConfigForTests()
    await call(batchReport([{ status: 'Delivered', code: 0, recipients: unknown(5) }], 'BATCH_STRANGERS'))
    const event = await db.callbackEvent.findFirstOrThrow()
    const again = await reprocessCallbackEvent(event.id)
    expect(again).toMatchObject({ state: 'UNMATCHED', stored: 0, unmatched: 2 })
    expect(await db.smsStatusUpdate.count()).toBe(2)
    expect((await db.callbackEvent.findFirstOrThrow()).error).toMatch(/^3 reports .* at most 2/)
  })
})

describe('the SQL functions', () => {
  const root = path.resolve(__dirname, '../../../..')
  const migrationsDir = path.join(root, 'api/db/migrations')

  /** Where each function's latest CREATE is: migrations apply in name order and the last definition wins. */
  const latestDefinitions = () => {
    const latest = new Map<string, string>()
    for (const dir of fs.readdirSync(migrationsDir).sort()) {
      const file = path.join(migrationsDir, dir, 'migration.sql')
      if (!fs.existsSync(file)) continue
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/CREATE (?:OR REPLACE )?FUNCTION (\w+)\(/g)) {
        latest.set(m[1], dir)
      }
    }
    return latest
  }

  scenario('delivery_ingest_reports is gone, and the README maps every live function to its definition', async () => {
    const live = await db.$queryRaw<{ proname: string }[]>`
      SELECT proname FROM pg_proc WHERE proname LIKE 'delivery\\_%' ORDER BY proname`
    const names = live.map((f) => f.proname)
    expect(names).not.toContain('delivery_ingest_reports')
    // One definition each: no stale overload left behind by a signature change.
    expect(new Set(names).size).toBe(names.length)

    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
    const latest = latestDefinitions()
    for (const name of names) {
      const row = readme.split('\n').find((line) => line.trimStart().startsWith(`| \`${name}(`))
      expect([name, row]).toEqual([name, expect.stringContaining(`\`${latest.get(name)}\``)])
    }
  })
})
