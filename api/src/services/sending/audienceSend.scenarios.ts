import type { Prisma } from '@prisma/client'

/** Audience sends start from an empty desk: each test uploads its own CSV. */
export const standard = defineScenario<Prisma.UserCreateArgs>({})
