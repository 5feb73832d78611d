import type { Prisma, Message } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

/** A delivered SMS recipient with its stored report: the test callback repeats that report. */
export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'delivered'>({
  message: {
    delivered: {
      data: {
        id: 'msg_delivered',
        body: 'Your parcel is on its way',
        recipientCount: 1,
        sinchBatchId: 'BATCH_DELIVERED',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2025-03-01T09:59:00.000Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701234567',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: new Date('2025-03-01T10:00:05.000Z'),
              updates: {
                create: [
                  {
                    dedupeKey: 'sms:BATCH_DELIVERED:+46701234567:Delivered:0:2025-03-01T10:00:05.000Z',
                    batchId: 'BATCH_DELIVERED',
                    phoneNumber: '+46701234567',
                    clientReference: 'msg_delivered',
                    status: 'Delivered',
                    code: 0,
                    at: new Date('2025-03-01T10:00:05.000Z'),
                    rawPayload: {},
                  },
                ],
              },
            },
          ],
        },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'delivered'>
