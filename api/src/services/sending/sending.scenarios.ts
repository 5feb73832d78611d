import type { Message, OptOut, Prisma, User } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

export const standard = defineScenario<Prisma.UserCreateArgs, 'user', 'staff'>({
  user: {
    staff: { data: { email: 'staff@example.com', hashedPassword: 'x', salt: 'y' } },
  },
})

export type StandardScenario = ScenarioData<User, 'user', 'staff'>

const final = (phoneNumber: string, status: string, code: number) => ({ phoneNumber, status, statusRank: 3, code })

/** A sent message where some recipients failed; one of those has since opted out. */
export const resend = defineScenario<
  Prisma.UserCreateArgs | Prisma.MessageCreateArgs | Prisma.OptOutCreateArgs,
  'user' | 'message' | 'optOut'
>({
  user: {
    staff: { data: { email: 'staff@example.com', hashedPassword: 'x', salt: 'y' } },
  },
  message: {
    original: {
      data: {
        id: 'msg_original',
        body: 'Your parcel is on its way',
        sender: 'DeskCo',
        clientReference: 'order-7',
        recipientCount: 5,
        sinchBatchId: 'BATCH_ORIGINAL',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2025-03-01T09:59:00.000Z'),
        recipients: {
          create: [
            final('+12025550101', 'Delivered', 0),
            final('+12025550102', 'Failed', 402),
            final('+12025550103', 'Expired', 406),
            { phoneNumber: '+12025550104', status: 'Dispatched', statusRank: 2, code: 401 },
            final('+12025550105', 'Rejected', 408),
          ],
        },
      },
    },
    allDelivered: {
      data: {
        id: 'msg_all_delivered',
        body: 'All good',
        recipientCount: 1,
        sinchBatchId: 'BATCH_ALL_DELIVERED',
        submitState: 'SUBMITTED',
        recipients: { create: [final('+12025550106', 'Delivered', 0)] },
      },
    },
  },
  optOut: {
    stopped: { data: { phoneNumber: '+12025550105', source: 'STAFF', createdAt: new Date('2025-03-02T08:00:00Z') } },
  },
})

export type ResendScenario = ScenarioData<User, 'user', 'staff'> &
  ScenarioData<Message, 'message', 'original' | 'allDelivered'> &
  ScenarioData<OptOut, 'optOut', 'stopped'>
