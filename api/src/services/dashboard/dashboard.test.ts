import type { DeliveryStats } from 'types/graphql'

import { ServiceValidationError } from '@redwoodjs/api'

import { deliveryStats, deliveryStatsLimits, MAX_PERIOD_DAYS } from './dashboard'
import type { StandardScenario } from './dashboard.scenarios'

const FROM = '2025-03-01T00:00:00.000Z'
const TO = '2025-03-02T00:00:00.000Z'

const stats = (from: string, to: string, timeZone?: string) =>
  deliveryStats({ from, to, timeZone }, {} as never) as Promise<DeliveryStats>

const hour = (h: number) => new Date(Date.UTC(2025, 2, 1, h))
const starts = (s: DeliveryStats) => s.series.map((b) => new Date(b.start).toISOString())

describe('deliveryStats', () => {
  scenario('counts the recipients of messages created in [from, to)', async (_scenario: StandardScenario) => {
    const s = await stats(FROM, TO)
    expect(s).toMatchObject({
      timeZone: 'UTC',
      bucketSize: 'HOUR',
      totalRecipients: 20,
      final: 17,
      delivered: 8,
      failed: 9,
      inFlight: 3,
    })
    expect(s.from).toEqual(new Date(FROM))
    expect(s.to).toEqual(new Date(TO))
    expect(s.deliveryRate).toBeCloseTo(8 / 17, 12)
  })

  scenario('median and p95 time to deliver, in SQL, clamped at 0 and READ timed by its DELIVERED report', async () => {
    const s = await stats(FROM, TO)
    expect(s.timedDeliveries).toBe(8)
    expect(s.medianTimeToDeliverMs).toBe(3500)
    expect(s.p95TimeToDeliverMs).toBe(8600)

    // The WhatsApp message alone: READ after 5 s and DELIVERED 1 s "before" submission.
    const wa = await stats('2025-03-01T23:00:00.000Z', TO)
    expect(wa.timedDeliveries).toBe(2)
    expect(wa.medianTimeToDeliverMs).toBe(2500) // (0 + 5000) / 2; unclamped it would be 2000
    expect(wa.p95TimeToDeliverMs).toBe(4750)
  })

  scenario('counts by final status, most first, ties by name', async () => {
    const s = await stats(FROM, TO)
    expect(s.finalStatusCounts).toEqual([
      { status: 'Delivered', count: 6 },
      { status: 'Failed', count: 4 },
      { status: 'Aborted', count: 1 },
      { status: 'DELIVERED', count: 1 },
      { status: 'Expired', count: 1 },
      { status: 'FAILED', count: 1 },
      { status: 'READ', count: 1 },
      { status: 'Rejected', count: 1 },
      { status: 'Unknown', count: 1 },
    ])
  })

  scenario('the five most common failure codes with their meanings, ties by code', async () => {
    const s = await stats(FROM, TO)
    expect(s.topFailureCodes).toEqual([
      {
        code: 402,
        name: 'Message unroutable',
        meaning: 'Unroutable: the operator refused it; retrying will probably fail the same way',
        count: 3,
      },
      // Unknown (SMS) and FAILED (WhatsApp) carry no code.
      { code: null, name: null, meaning: 'The failure report carried no code', count: 2 },
      { code: 406, name: 'Internal expiry', meaning: 'Expired inside Sinch before reaching the operator', count: 1 },
      {
        code: 410,
        name: 'Unmatched default originator',
        meaning: 'No sender given and no default originator fits this recipient',
        count: 1,
      },
      {
        code: 411,
        name: 'Exceeded parts limit',
        meaning: 'The message needs more parts than max_number_of_message_parts allows',
        count: 1,
      },
      // 412 (Aborted, 1) ties with 406, 410 and 411 and is the sixth: left out.
    ])
  })

  scenario('failures without a code are grouped, and an unknown code says so', async () => {
    // Only the WhatsApp message: READ, DELIVERED and FAILED (no code).
    const wa = await stats('2025-03-01T23:00:00.000Z', TO)
    expect(wa.topFailureCodes).toEqual([
      { code: null, name: null, meaning: 'The failure report carried no code', count: 1 },
    ])
    expect(wa).toMatchObject({
      totalRecipients: 3,
      delivered: 2,
      failed: 1,
      final: 3,
      inFlight: 0,
      deliveryRate: 2 / 3,
    })

    // Only the message before the period: a Failed with operator code 999.
    const before = await stats('2025-02-28T23:00:00.000Z', FROM)
    expect(before.topFailureCodes).toEqual([
      { code: 999, name: null, meaning: '999: not in Sinch’s table (an operator or SMPP code)', count: 1 },
    ])
  })

  scenario('one bucket per hour for periods up to 2 days, empty hours included', async () => {
    const s = await stats(FROM, TO)
    const expected = Array.from({ length: 24 }, (_, h) => ({ start: hour(h), delivered: 0, failed: 0, inFlight: 0 }))
    expected[0] = { start: hour(0), delivered: 0, failed: 3, inFlight: 1 }
    expected[10] = { start: hour(10), delivered: 3, failed: 2, inFlight: 1 }
    expected[12] = { start: hour(12), delivered: 3, failed: 3, inFlight: 1 }
    expected[23] = { start: hour(23), delivered: 2, failed: 1, inFlight: 0 }
    expect(s.series).toEqual(expected)
  })

  scenario('hours follow the local hour in a half-hour time zone', async () => {
    const s = await stats(FROM, TO, 'Asia/Kolkata')
    expect(s.series).toHaveLength(25)
    expect(starts(s)[0]).toBe('2025-02-28T23:30:00.000Z')
    expect(starts(s)[24]).toBe('2025-03-01T23:30:00.000Z')
    expect(s.series[0]).toMatchObject({ delivered: 0, failed: 3, inFlight: 1 })
    expect(s.series[9]).toMatchObject({
      start: new Date('2025-03-01T08:30:00.000Z'),
      delivered: 0,
      failed: 0,
      inFlight: 0,
    })
    expect(s.series[10]).toMatchObject({
      start: new Date('2025-03-01T09:30:00.000Z'),
      delivered: 3,
      failed: 2,
      inFlight: 1,
    })
    expect(s.series[13]).toMatchObject({
      start: new Date('2025-03-01T12:30:00.000Z'),
      delivered: 3,
      failed: 3,
      inFlight: 1,
    })
    expect(s.series[24]).toMatchObject({
      start: new Date('2025-03-01T23:30:00.000Z'),
      delivered: 2,
      failed: 1,
      inFlight: 0,
    })
    expect(s.series.reduce((n, b) => n + b.delivered + b.failed + b.inFlight, 0)).toBe(20)
  })

  scenario('one bucket per local day for longer periods', async () => {
    // 2 days and 1 ms: by day. New York is UTC-5 here.
    const s = await stats(FROM, '2025-03-03T00:00:00.001Z', 'America/New_York')
    expect(s.bucketSize).toBe('DAY')
    expect(s.timeZone).toBe('America/New_York')
    expect(s.series).toEqual([
      // 2025-03-01T00:00Z is still Feb 28 in New York.
      { start: new Date('2025-02-28T05:00:00.000Z'), delivered: 0, failed: 3, inFlight: 1 },
      // Mar 1 local holds 10:15Z, 12:40Z, 23:30Z and the message at 2025-03-02T00:00Z.
      { start: new Date('2025-03-01T05:00:00.000Z'), delivered: 8, failed: 7, inFlight: 2 },
      { start: new Date('2025-03-02T05:00:00.000Z'), delivered: 0, failed: 0, inFlight: 0 },
    ])
    expect(s.totalRecipients).toBe(21)
  })

  scenario('day buckets start at local midnight across a daylight-saving change', async () => {
    // Stockholm moves from UTC+1 to UTC+2 on 2025-03-30.
    const s = await stats('2025-03-28T00:00:00.000Z', '2025-04-01T00:00:00.000Z', 'Europe/Stockholm')
    expect(starts(s)).toEqual([
      '2025-03-27T23:00:00.000Z',
      '2025-03-28T23:00:00.000Z',
      '2025-03-29T23:00:00.000Z',
      '2025-03-30T22:00:00.000Z',
      '2025-03-31T22:00:00.000Z',
    ])
    expect(s).toMatchObject({
      totalRecipients: 0,
      final: 0,
      deliveryRate: null,
      medianTimeToDeliverMs: null,
      p95TimeToDeliverMs: null,
    })
    expect(s.finalStatusCounts).toEqual([])
    expect(s.topFailureCodes).toEqual([])
  })

  scenario('rejects a period that ends before it starts, is too long, or an unknown time zone', async () => {
    await expect(stats(TO, FROM)).rejects.toThrow(ServiceValidationError)
    await expect(stats(FROM, FROM)).rejects.toThrow('"from" must be before "to"')
    await expect(stats('2025-01-01T00:00:00.000Z', '2026-01-02T00:00:00.001Z')).rejects.toThrow('at most 366 days')
    await expect(stats(FROM, TO, 'Mars/Olympus_Mons')).rejects.toThrow('is not a time zone')
    await expect(stats(FROM, TO, '+05:30')).rejects.toThrow('is not a time zone')
    // The web is told the limit it checks a custom period against.
    expect(await deliveryStatsLimits({}, {} as never)).toEqual({ maxPeriodDays: MAX_PERIOD_DAYS })
    // Exactly 366 days is allowed.
    await expect(stats('2025-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')).resolves.toMatchObject({
      bucketSize: 'DAY',
    })
  })
})
