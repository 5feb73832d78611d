import type { Message, Prisma } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

/** A message Sinch accepted, with one recipient. */
export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'sent'>({
  message: {
    sent: {
      data: {
        id: 'msg_kept',
        body: 'Your parcel is on its way',
        sinchBatchId: 'BATCH_KEPT',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2025-03-01T09:59:00Z'),
        recipientCount: 1,
        recipients: { create: [{ phoneNumber: '+46701234567' }] },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'sent'>
