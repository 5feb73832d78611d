import type { InboxQuery } from 'types/graphql'

const conversation = {
  __typename: 'Conversation' as const,
  name: null,
  lastInboundContentType: 'text',
  inboundCount: 1,
  optedOut: false,
}

export const standard = () =>
  ({
    conversations: {
      __typename: 'ConversationPage',
      nextCursor: 'next-page',
      items: [
        {
          ...conversation,
          id: 'WHATSAPP:+12025550441',
          phoneNumber: '+12025550441',
          channel: 'WHATSAPP',
          lastInboundAt: '2026-11-24T10:00:00.000Z',
          lastInboundBody: 'Yes, that works',
          unreadCount: 2,
          unanswered: true,
        },
        {
          ...conversation,
          id: 'SMS:+12025550100',
          phoneNumber: '+12025550100',
          channel: 'SMS',
          lastInboundAt: '2026-11-24T09:00:00.000Z',
          lastInboundBody: 'STOP',
          unreadCount: 0,
          unanswered: false,
          optedOut: true,
        },
      ],
    },
  }) satisfies InboxQuery
