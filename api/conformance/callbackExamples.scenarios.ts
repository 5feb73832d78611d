import type { Message, Prisma } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

/** The messages the published examples report on, so that their reports find a recipient. */
export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'smsExample' | 'whatsapp' | 'messenger'>({
  message: {
    smsExample: {
      data: {
        id: 'msg_sdk_example',
        body: 'Example batch of the Sinch SDK',
        recipientCount: 2,
        sinchBatchId: '01W4FFL35P4NC4K35SMSBATCH9',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2024-06-06T08:17:00.000Z'),
        recipients: { create: [{ phoneNumber: '+12017777777' }, { phoneNumber: '+12010000000' }] },
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
    messenger: {
      data: {
        id: 'msg_docs_example',
        body: 'Example message of the Conversation callback docs',
        channel: 'WHATSAPP',
        recipientCount: 1,
        submitState: 'SUBMITTED',
        recipients: { create: [{ phoneNumber: '+2734085512340733', sinchMessageId: '01EQBC1A3BEK731GY4YXEN0C2R' }] },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'smsExample' | 'whatsapp' | 'messenger'>
