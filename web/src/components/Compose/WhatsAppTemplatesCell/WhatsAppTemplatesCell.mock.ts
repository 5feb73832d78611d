import type { WhatsAppTemplatesQuery } from 'types/graphql'

export const standard = (/* vars, { ctx, req } */) =>
  ({
    whatsAppTemplates: [
      {
        __typename: 'WhatsAppTemplate',
        id: 1,
        name: 'hello',
        languageCode: 'en',
        body: 'Hello! Reply to chat with us.',
        parameterNames: [],
      },
      {
        __typename: 'WhatsAppTemplate',
        id: 2,
        name: 'order_shipped',
        languageCode: 'en_US',
        body: 'Your order {{1}} ships {{2}}.',
        parameterNames: ['order number', 'delivery day'],
      },
    ],
  }) satisfies WhatsAppTemplatesQuery
