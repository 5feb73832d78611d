import type { RecipientTimelineQuery } from 'types/graphql'

// Define your own mock data here:
export const standard = (/* vars, { ctx, req } */) =>
  ({
    recipient: {
      __typename: 'MessageRecipient',
      id: 102,
      phoneNumber: '+46709876543',
      status: 'Failed',
      statusMeaning: 'Delivery failed',
      statusReason: null,
      timeline: [
        {
          __typename: 'StatusUpdate',
          id: 1,
          status: 'Dispatched',
          statusMeaning: 'Sent to the operator',
          code: 401,
          codeMeaning: 'Sent to the operator (SMSC)',
          reason: null,
          at: '2024-05-01T10:00:01.250Z',
          operatorStatusAt: null,
          receivedAt: '2024-05-01T10:00:01.900Z',
          source: 'PUSHED',
          timeSource: 'REPORTED',
          rawPayload: { type: 'recipient_delivery_report_sms', status: 'Dispatched', code: 401 },
        },
        {
          __typename: 'StatusUpdate',
          id: 2,
          status: 'Failed',
          statusMeaning: 'Delivery failed',
          code: 402,
          codeMeaning: 'Unroutable: the operator refused it; retrying will probably fail the same way',
          reason: 'Message unroutable',
          at: '2024-05-01T10:00:03.500Z',
          operatorStatusAt: '2024-05-01T10:00:03.000Z',
          receivedAt: '2024-05-01T10:00:04.000Z',
          source: 'FETCHED',
          timeSource: 'REPORTED',
          rawPayload: { type: 'recipient_delivery_report_sms', status: 'Failed', code: 402 },
        },
      ],
    },
  }) satisfies RecipientTimelineQuery
