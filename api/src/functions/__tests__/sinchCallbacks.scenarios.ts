import type { Prisma, Message } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

const recipients = (numbers: string[]) => ({
  create: numbers.map((phoneNumber) => ({ phoneNumber })),
})

export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'submitted' | 'racing' | 'whatsapp'>({
  message: {
    submitted: {
      data: {
        id: 'msg_submitted',
        body: 'Your parcel is on its way',
        recipientCount: 3,
        sinchBatchId: 'BATCH_SUBMITTED',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2025-03-01T09:59:00.000Z'),
        recipients: recipients(['+46701234567', '+46701234568', '+46701234569']),
      },
    },
    // Stored, but Sinch's answer with the batch id has not been recorded yet.
    racing: {
      data: {
        id: 'msg_racing',
        body: 'Race me',
        recipientCount: 2,
        submitState: 'PENDING',
        recipients: recipients(['+12025550101', '+12025550102']),
      },
    },
    whatsapp: {
      data: {
        id: 'msg_whatsapp',
        body: 'Hello on WhatsApp',
        channel: 'WHATSAPP',
        recipientCount: 1,
        submitState: 'SUBMITTED',
        recipients: { create: [{ phoneNumber: '+46709999999', sinchMessageId: '01MSGID0000000000000000000' }] },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'submitted' | 'racing' | 'whatsapp'>
