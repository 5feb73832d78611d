import type { WhatsAppTemplateListQuery } from 'types/graphql'

export const standard = (/* vars, { ctx, req } */) =>
  ({
    whatsAppTemplates: [
      {
        __typename: 'WhatsAppTemplate',
        id: 2,
        name: 'order_shipped',
        languageCode: 'en_US',
        body: 'Your order {{1}} ships {{2}}.',
        parameterNames: ['order number', 'delivery day'],
        createdAt: '2026-11-24T09:00:00.000Z',
      },
      {
        __typename: 'WhatsAppTemplate',
        id: 1,
        name: 'hello',
        languageCode: 'en',
        body: 'Hello!',
        parameterNames: [],
        createdAt: '2026-11-24T09:00:00.000Z',
      },
    ],
  }) satisfies WhatsAppTemplateListQuery
