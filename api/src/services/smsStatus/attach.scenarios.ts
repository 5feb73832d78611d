import type { Prisma } from '@prisma/client'

// Empty: each case of attach.test.ts builds its messages itself, before or after its report.
export const standard = defineScenario<Prisma.MessageCreateArgs>({})
