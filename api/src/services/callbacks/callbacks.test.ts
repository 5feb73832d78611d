import { callResolver as call } from 'testing/callResolver'
import { signInAs } from 'testing/staff'

import { db } from 'src/lib/db'

import { CallbackEvent, callbackEvents, callbackRejections, deliveryCodes, deliveryStatuses } from './callbacks'
import type { StandardScenario } from './callbacks.scenarios'

// Every action here is an admin's (the roles test checks who else may).
beforeEach(() => signInAs('admin'))

describe('callbackEvents', () => {
  scenario('lists newest first and pages with a cursor', async (scenario: StandardScenario) => {
    const first = await call(callbackEvents, { take: 2 })
    expect(first.items.map((e) => e.id)).toEqual([
      scenario.callbackEvent.rejected.id,
      scenario.callbackEvent.duplicate.id,
    ])
    expect(first.nextCursor).toBe(scenario.callbackEvent.duplicate.id)
    const second = await call(callbackEvents, { take: 2, cursor: first.nextCursor })
    expect(second.items.map((e) => e.id)).toEqual([scenario.callbackEvent.accepted.id])
    expect(second.nextCursor).toBeNull()
  })

  scenario('refuses a page size out of bounds', async () => {
    await expect(call(callbackEvents, { take: 101 })).rejects.toThrow('take must be between 1 and 100.')
    await expect(call(callbackRejections, { take: 0 })).rejects.toThrow('take must be between 1 and 100.')
  })

  scenario('names the recipients and statuses a callback reported, and their message', async () => {
    const message = await db.message.create({
      data: {
        body: 'Hello',
        recipientCount: 1,
        sinchBatchId: 'B-LOG',
        recipients: { create: [{ phoneNumber: '+46701234567' }] },
      },
    })
    const report = (batch: string, status: string, code: number, recipient: string) => ({
      type: 'recipient_delivery_report_sms',
      batch_id: batch,
      recipient,
      status,
      code,
      at: '2025-03-01T10:00:00Z',
    })
    const event = (body: object) =>
      db.callbackEvent.create({
        data: {
          rawBody: JSON.stringify(body),
          headers: {},
          kind: 'recipient_delivery_report_sms',
          verdict: 'ACCEPTED',
          processingState: 'PROCESSED',
        },
      })
    const reports = (root: object) =>
      (CallbackEvent.reports as unknown as (a: object, o: { root: object }) => Promise<unknown>)({}, { root })
    expect(await reports(await event(report('B-LOG', 'Delivered', 0, '46701234567')))).toEqual({
      total: 1,
      items: [{ phoneNumber: '+46701234567', status: 'Delivered', code: 0, messageId: message.id }],
    })
    // A report for a batch the desk does not know: the recipient and status, no link.
    expect(await reports(await event(report('B-UNKNOWN', 'Failed', 404, '46709999999')))).toEqual({
      total: 1,
      items: [{ phoneNumber: '+46709999999', status: 'Failed', code: 404, messageId: null }],
    })
    // A batch report: its total and the first three.
    const batch = await event({
      type: 'delivery_report_sms',
      batch_id: 'B-LOG',
      statuses: [
        { code: 0, status: 'Delivered', count: 5, recipients: ['4670111', '4670222', '4670333', '4670444', '4670555'] },
      ],
    })
    const summary = (await reports(batch)) as { total: number; items: unknown[] }
    expect(summary.total).toBe(5)
    expect(summary.items).toHaveLength(3)
    // Not a delivery report.
    expect(await reports({ rawBody: '{', receivedAt: new Date() })).toBeNull()
  })

  scenario('filters by verdict', async () => {
    const rejected = await call(callbackEvents, { verdict: 'REJECTED' })
    expect(rejected.items).toHaveLength(1)
    expect(rejected.items[0]).toMatchObject({ kind: 'invalid', error: 'malformed JSON' })
  })
})

describe('callbackRejections', () => {
  scenario('lists refused callbacks newest first and pages with a cursor', async () => {
    const row = (reason: string) => ({
      reason,
      reasonText: reason,
      details: {},
      method: 'POST',
      url: '/sinchCallbacks',
      bodyExcerpt: '',
    })
    for (const reason of ['missing_header', 'timestamp_out_of_window', 'signature_mismatch'])
      await db.callbackRejection.create({ data: row(reason) })
    const first = await call(callbackRejections, { take: 2 })
    expect(first.items.map((r) => r.reason)).toEqual(['signature_mismatch', 'timestamp_out_of_window'])
    const second = await call(callbackRejections, { take: 2, cursor: first.nextCursor })
    expect(second.items.map((r) => r.reason)).toEqual(['missing_header'])
    expect(second.nextCursor).toBeNull()
  })
})

describe('delivery code and status tables', () => {
  it("explains every code in Sinch's table", async () => {
    const codes = (await call(deliveryCodes, {})) as { code: number; meaning: string }[]
    expect(codes.map((c) => c.code)).toEqual([
      0, 400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 411, 412, 413, 414, 415, 416, 417, 418,
    ])
    expect(codes.find((c) => c.code === 402)?.meaning).toMatch(/unroutable/i)
    expect(codes.find((c) => c.code === 404)?.meaning).toMatch(/retry may succeed/)
  })

  it('marks finals', async () => {
    const statuses = (await call(deliveryStatuses, {})) as {
      status: string
      isFinal: boolean
    }[]
    expect(statuses.filter((s) => s.isFinal).map((s) => s.status)).toEqual(
      expect.arrayContaining([
        'Delivered',
        'Failed',
        'Expired',
        'Rejected',
        'Aborted',
        'Cancelled',
        'Deleted',
        'Unknown',
        'READ',
        'FAILED',
      ])
    )
    expect(statuses.find((s) => s.status === 'Dispatched')?.isFinal).toBe(false)
    expect(statuses.find((s) => s.status === 'Queued')?.isFinal).toBe(false)
  })

  it('lists every SMS and WhatsApp status once, with channel, failure and outcome', async () => {
    type Info = { status: string; channel: string | null; isFailure: boolean; isDelivered: boolean; outcome: string }
    const statuses = (await call(deliveryStatuses, {})) as Info[]
    const row = (status: string) => statuses.find((s) => s.status === status)
    expect(statuses.map((s) => s.status)).toEqual([
      'Pending',
      'Queued',
      'Dispatched',
      'Delivered',
      'Aborted',
      'Cancelled',
      'Rejected',
      'Deleted',
      'Failed',
      'Expired',
      'Unknown',
      'QUEUED_ON_CHANNEL',
      'SWITCHING_CHANNEL',
      'DELIVERED',
      'READ',
      'FAILED',
    ])
    expect(row('Pending')).toMatchObject({ channel: null, outcome: 'PENDING', isFailure: false })
    expect(row('Cancelled')).toMatchObject({ channel: 'SMS', outcome: 'FAILED', isFailure: true })
    expect(row('Deleted')).toMatchObject({ channel: 'SMS', outcome: 'FAILED', isFailure: true })
    expect(row('Unknown')).toMatchObject({ channel: 'SMS', outcome: 'UNDETERMINED', isFailure: true })
    expect(row('READ')).toMatchObject({ channel: 'WHATSAPP', outcome: 'DELIVERED', isDelivered: true })
    expect(row('SWITCHING_CHANNEL')).toMatchObject({ channel: 'WHATSAPP', outcome: 'IN_FLIGHT', isFailure: false })
    expect(row('FAILED')).toMatchObject({ channel: 'WHATSAPP', outcome: 'FAILED', isFailure: true })
  })

  it('labels every status in one case: the Conversation API capitals in sentence case, SMS as Sinch names them', async () => {
    const statuses = (await call(deliveryStatuses, {})) as { status: string; label: string }[]
    const label = (status: string) => statuses.find((s) => s.status === status)?.label
    expect(label('QUEUED_ON_CHANNEL')).toBe('Queued on channel')
    expect(label('SWITCHING_CHANNEL')).toBe('Switching channel')
    expect(label('READ')).toBe('Read')
    expect(label('DELIVERED')).toBe('Delivered')
    expect(label('Delivered')).toBe('Delivered')
    expect(label('Pending')).toBe('Pending')
    for (const s of statuses) expect(s.label).not.toMatch(/^[A-Z_]{2,}$/)
  })
})
