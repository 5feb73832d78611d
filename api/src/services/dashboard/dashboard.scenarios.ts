import type { Message, Prisma } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

/*
 * The period under test is 2025-03-01T00:00Z to 2025-03-02T00:00Z. Every
 * message here was submitted when it was created; statusAt is the time of the
 * recipient's latest report. statusRank is what ingestion stores (see
 * src/lib/deliveryStatus.ts): Pending 0, Queued 1, Dispatched 2, Conversation
 * DELIVERED 2, every other status here 3.
 *
 * Times to deliver (ms), sorted: 0 (WhatsApp DELIVERED, a receipt 1 s before
 * submission, clamped), 1000, 2000, 3000, 4000, 5000 (WhatsApp READ: its
 * DELIVERED report, not the read time), 6000, 10000.
 * Median 3500; p95 = 6000 + 0.65 × 4000 = 8600 (percentile_cont interpolates).
 */

type Names = 'before' | 'atStart' | 'hour10' | 'hour12' | 'whatsapp' | 'atEnd'

export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', Names>({
  message: {
    // Just before the period: not counted.
    before: {
      data: {
        id: 'dash_before',
        body: 'Before the period',
        recipientCount: 2,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-02-28T23:59:59.999Z'),
        submittedAt: new Date('2025-02-28T23:59:59.999Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000001',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T00:00:00.499Z'),
            },
            {
              phoneNumber: '+46701000002',
              status: 'Failed',
              statusRank: 3,
              code: 999,
              statusAt: new Date('2025-03-01T00:00:00.499Z'),
            },
          ],
        },
      },
    },
    // Exactly at `from`: counted, in the first hour.
    atStart: {
      data: {
        id: 'dash_start',
        body: 'At the start',
        recipientCount: 4,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-03-01T00:00:00.000Z'),
        submittedAt: new Date('2025-03-01T00:00:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000011',
              status: 'Failed',
              statusRank: 3,
              code: 410,
              statusAt: new Date('2025-03-01T00:00:01.000Z'),
            },
            {
              phoneNumber: '+46701000012',
              status: 'Rejected',
              statusRank: 3,
              code: 411,
              statusAt: new Date('2025-03-01T00:00:01.000Z'),
            },
            {
              phoneNumber: '+46701000013',
              status: 'Aborted',
              statusRank: 3,
              code: 412,
              statusAt: new Date('2025-03-01T00:00:01.000Z'),
            },
            {
              phoneNumber: '+46701000014',
              status: 'Queued',
              statusRank: 1,
              code: 400,
              statusAt: new Date('2025-03-01T00:00:01.000Z'),
            },
          ],
        },
      },
    },
    hour10: {
      data: {
        id: 'dash_h10',
        body: 'At 10:15',
        recipientCount: 6,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-03-01T10:15:00.000Z'),
        submittedAt: new Date('2025-03-01T10:15:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000021',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T10:15:01.000Z'),
            },
            {
              phoneNumber: '+46701000022',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T10:15:02.000Z'),
            },
            {
              phoneNumber: '+46701000023',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T10:15:10.000Z'),
            },
            {
              phoneNumber: '+46701000024',
              status: 'Failed',
              statusRank: 3,
              code: 402,
              statusAt: new Date('2025-03-01T10:15:03.000Z'),
            },
            {
              phoneNumber: '+46701000025',
              status: 'Failed',
              statusRank: 3,
              code: 402,
              statusAt: new Date('2025-03-01T10:15:03.000Z'),
            },
            {
              phoneNumber: '+46701000026',
              status: 'Dispatched',
              statusRank: 2,
              code: 401,
              statusAt: new Date('2025-03-01T10:15:00.500Z'),
            },
          ],
        },
      },
    },
    hour12: {
      data: {
        id: 'dash_h12',
        body: 'At 12:40',
        recipientCount: 7,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-03-01T12:40:00.000Z'),
        submittedAt: new Date('2025-03-01T12:40:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000031',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T12:40:03.000Z'),
            },
            {
              phoneNumber: '+46701000032',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T12:40:04.000Z'),
            },
            {
              phoneNumber: '+46701000033',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T12:40:06.000Z'),
            },
            {
              phoneNumber: '+46701000034',
              status: 'Expired',
              statusRank: 3,
              code: 406,
              statusAt: new Date('2025-03-01T12:41:00.000Z'),
            },
            {
              phoneNumber: '+46701000035',
              status: 'Failed',
              statusRank: 3,
              code: 402,
              statusAt: new Date('2025-03-01T12:40:05.000Z'),
            },
            // Reached the operator; no receipt with a code came back.
            {
              phoneNumber: '+46701000036',
              status: 'Unknown',
              statusRank: 3,
              statusAt: new Date('2025-03-01T12:40:05.000Z'),
            },
            { phoneNumber: '+46701000037' },
          ],
        },
      },
    },
    whatsapp: {
      data: {
        id: 'dash_wa',
        body: 'WhatsApp at 23:30',
        channel: 'WHATSAPP',
        recipientCount: 3,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-03-01T23:30:00.000Z'),
        submittedAt: new Date('2025-03-01T23:30:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000041',
              status: 'READ',
              statusRank: 3,
              // When it was read; delivered 55 s earlier.
              statusAt: new Date('2025-03-01T23:31:00.000Z'),
              updates: {
                create: [
                  {
                    dedupeKey: 'conv:wa1:DELIVERED',
                    batchId: 'wa1',
                    phoneNumber: '+46701000041',
                    status: 'DELIVERED',
                    at: new Date('2025-03-01T23:30:05.000Z'),
                    rawPayload: {},
                  },
                  {
                    dedupeKey: 'conv:wa1:READ',
                    batchId: 'wa1',
                    phoneNumber: '+46701000041',
                    status: 'READ',
                    at: new Date('2025-03-01T23:31:00.000Z'),
                    rawPayload: {},
                  },
                ],
              },
            },
            // A receipt stamped 1 s before submission (clock skew): counted as 0 ms.
            {
              phoneNumber: '+46701000042',
              status: 'DELIVERED',
              statusRank: 2,
              statusAt: new Date('2025-03-01T23:29:59.000Z'),
            },
            {
              phoneNumber: '+46701000043',
              status: 'FAILED',
              statusRank: 3,
              statusAt: new Date('2025-03-01T23:30:02.000Z'),
            },
          ],
        },
      },
    },
    // Exactly at `to`: not counted.
    atEnd: {
      data: {
        id: 'dash_end',
        body: 'At the end',
        recipientCount: 1,
        submitState: 'SUBMITTED',
        createdAt: new Date('2025-03-02T00:00:00.000Z'),
        submittedAt: new Date('2025-03-02T00:00:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701000051',
              status: 'Failed',
              statusRank: 3,
              code: 402,
              statusAt: new Date('2025-03-02T00:00:01.000Z'),
            },
          ],
        },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', Names>
