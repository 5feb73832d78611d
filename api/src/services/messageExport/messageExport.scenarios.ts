import type { Prisma, Message } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'sent'>({
  message: {
    sent: {
      data: {
        id: 'msg_export',
        body: 'Export me',
        recipientCount: 2,
        sinchBatchId: 'BATCH_EXPORT',
        submitState: 'SUBMITTED',
        recipients: {
          create: [
            {
              phoneNumber: '+46701234567',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              updates: {
                create: [
                  {
                    dedupeKey: 'k2',
                    batchId: 'BATCH_EXPORT',
                    phoneNumber: '+46701234567',
                    status: 'Delivered',
                    code: 0,
                    at: new Date('2025-03-01T10:00:05Z'),
                    rawPayload: {},
                  },
                  {
                    dedupeKey: 'k1',
                    batchId: 'BATCH_EXPORT',
                    phoneNumber: '+46701234567',
                    status: 'Dispatched',
                    code: 401,
                    at: new Date('2025-03-01T10:00:01Z'),
                    rawPayload: {},
                  },
                ],
              },
            },
            { phoneNumber: '+46701234568' },
          ],
        },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'sent'>
