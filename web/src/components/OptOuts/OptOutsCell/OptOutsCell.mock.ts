import type { OptOutsQuery } from 'types/graphql'

export const standard = (/* vars, { ctx, req } */) =>
  ({
    optOuts: [
      {
        __typename: 'OptOut',
        id: 2,
        phoneNumber: '+46701234567',
        source: 'INBOUND',
        note: null,
        createdAt: '2024-05-02T08:30:00.000Z',
        createdBy: null,
        inboundMessage: {
          __typename: 'InboundReply',
          id: 11,
          channel: 'SMS',
          body: ' Stop ',
          receivedAt: '2024-05-02T08:29:59.000Z',
        },
      },
      {
        __typename: 'OptOut',
        id: 1,
        phoneNumber: '+12025550123',
        source: 'STAFF',
        note: 'Asked by phone',
        createdAt: '2024-05-01T10:00:00.000Z',
        createdBy: { __typename: 'StaffUser', email: 'ops@example.com' },
        inboundMessage: null,
      },
    ],
  }) satisfies OptOutsQuery
