import type { MessagesQuery } from 'types/graphql'

// Define your own mock data here:
export const standard = (/* vars, { ctx, req } */) =>
  ({
    messages: {
      nextCursor: 'cursor-after-msg-2',
      items: [
        {
          __typename: 'Message',
          id: 'msg-1',
          body: 'Your parcel arrives today between 10:00 and 12:00',
          sender: 'DeskCo',
          channel: 'SMS',
          clientReference: 'order-42',
          submitState: 'SUBMITTED',
          scheduled: false,
          sendAt: null,
          cancelledAt: null,
          recipientCount: 3,
          createdAt: '2024-05-01T10:00:00.000Z',
          createdBy: { __typename: 'StaffUser', email: 'ops@example.com' },
          statusCounts: [
            { __typename: 'StatusCount', status: 'Delivered', count: 2 },
            { __typename: 'StatusCount', status: 'Failed', count: 1 },
          ],
        },
        {
          __typename: 'Message',
          id: 'msg-2',
          body: 'Maintenance window tonight',
          sender: null,
          channel: 'SMS',
          clientReference: null,
          submitState: 'FAILED',
          scheduled: false,
          sendAt: null,
          cancelledAt: null,
          recipientCount: 1,
          createdAt: '2024-05-01T09:00:00.000Z',
          createdBy: null,
          statusCounts: [{ __typename: 'StatusCount', status: 'Pending', count: 1 }],
        },
      ],
    },
  }) satisfies MessagesQuery
