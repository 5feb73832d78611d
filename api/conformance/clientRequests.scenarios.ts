import type { Prisma, User } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

export const standard = defineScenario<Prisma.UserCreateArgs, 'user', 'staff'>({
  user: {
    staff: { data: { email: 'conformance@example.com', hashedPassword: 'x', salt: 'y' } },
  },
})

export type StandardScenario = ScenarioData<User, 'user', 'staff'>
