import type { MessageRecipientsQuery } from 'types/graphql'

// Define your own mock data here:
export const standard = (/* vars, { ctx, req } */) =>
  ({
    message: {
      __typename: 'Message',
      id: 'msg-1',
      recipients: {
        __typename: 'RecipientPage',
        total: 3,
        nextCursor: 103,
        items: [
          {
            __typename: 'MessageRecipient',
            id: 101,
            phoneNumber: '+46701234567',
            status: 'Delivered',
            statusMeaning: 'Delivered to the handset',
            code: 0,
            codeMeaning: 'Delivered: no error',
            isFinal: true,
            isFailure: false,
            statusAt: '2024-05-01T10:00:05.000Z',
            timeToDeliverMs: 4200,
            statusReason: null,
          },
          {
            __typename: 'MessageRecipient',
            id: 102,
            phoneNumber: '+46709876543',
            status: 'Failed',
            statusMeaning: 'Delivery failed',
            code: 402,
            codeMeaning: 'Unroutable: the operator refused it; retrying will probably fail the same way',
            isFinal: true,
            isFailure: true,
            statusAt: '2024-05-01T10:00:03.000Z',
            timeToDeliverMs: null,
            statusReason: null,
          },
          {
            __typename: 'MessageRecipient',
            id: 103,
            phoneNumber: '+46700000001',
            status: 'Pending',
            statusMeaning: 'Saved here; no report from Sinch yet',
            code: null,
            codeMeaning: null,
            isFinal: false,
            isFailure: false,
            statusAt: null,
            timeToDeliverMs: null,
            statusReason: null,
          },
        ],
      },
    },
  }) satisfies MessageRecipientsQuery
