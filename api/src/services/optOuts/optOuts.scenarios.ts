import type { OptOut, Prisma, User } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

export const standard = defineScenario<Prisma.UserCreateArgs | Prisma.OptOutCreateArgs, 'user' | 'optOut'>({
  user: {
    staff: { data: { email: 'staff@example.com', hashedPassword: 'x', salt: 'y' } },
  },
  optOut: {
    byHand: {
      data: {
        phoneNumber: '+46701234599',
        source: 'STAFF',
        note: 'asked by phone',
        createdAt: new Date('2025-02-01T08:00:00Z'),
      },
    },
  },
})

export type StandardScenario = ScenarioData<User, 'user', 'staff'> & ScenarioData<OptOut, 'optOut', 'byHand'>
