import type { Prisma, User, WhatsAppTemplate } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

export const standard = defineScenario<
  Prisma.UserCreateArgs | Prisma.WhatsAppTemplateCreateArgs,
  'user' | 'whatsAppTemplate'
>({
  user: {
    staff: { data: { email: 'staff@example.com', hashedPassword: 'x', salt: 'y' } },
  },
  whatsAppTemplate: {
    orderShipped: {
      data: {
        name: 'order_shipped',
        languageCode: 'en_US',
        body: 'Your order {{1}} ships {{2}}.',
        parameterNames: ['order number', 'delivery day'],
      },
    },
    hello: { data: { name: 'hello', languageCode: 'en', body: 'Hello! Reply to chat with us.', parameterNames: [] } },
  },
})

export type StandardScenario = ScenarioData<User, 'user', 'staff'> &
  ScenarioData<WhatsAppTemplate, 'whatsAppTemplate', 'orderShipped' | 'hello'>
