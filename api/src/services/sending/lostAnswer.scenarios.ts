import type { Message, Prisma } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

const TWO_DAYS_AGO = new Date(Date.now() - 2 * 24 * 3600_000)

/** A send whose first attempt reached Sinch two days ago but whose answer was lost (it timed out). */
export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'lostAnswer'>({
  message: {
    lostAnswer: {
      data: {
        id: 'msg_lost_answer',
        body: 'Your parcel is on its way',
        recipientCount: 1,
        submitState: 'FAILED',
        submitError: 'Sinch did not answer within 10 s',
        submitAttempts: 1,
        createdAt: TWO_DAYS_AGO,
        updatedAt: TWO_DAYS_AGO,
        recipients: { create: [{ phoneNumber: '+46701234567' }] },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'lostAnswer'>
