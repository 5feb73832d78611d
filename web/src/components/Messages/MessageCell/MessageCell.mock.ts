import type { FindMessageQuery } from 'types/graphql'

// Define your own mock data here:
export const standard = (/* vars, { ctx, req } */) =>
  ({
    message: {
      __typename: 'Message',
      id: 'msg-1',
      body: 'Your parcel arrives today between 10:00 and 12:00',
      sender: 'DeskCo',
      channel: 'SMS',
      sinchBatchId: '01HXBATCH0000000000000001',
      clientReference: 'order-42',
      submitState: 'SUBMITTED',
      submitError: null,
      submitAttempts: 1,
      submittedAt: '2024-05-01T10:00:01.000Z',
      recipientCount: 4,
      templateName: null,
      templateLanguage: null,
      smsFallback: false,
      createdAt: '2024-05-01T10:00:00.000Z',
      createdBy: { __typename: 'StaffUser', email: 'ops@example.com' },
      statusCounts: [
        { __typename: 'StatusCount', status: 'Delivered', count: 2 },
        { __typename: 'StatusCount', status: 'Failed', count: 1 },
        { __typename: 'StatusCount', status: 'Dispatched', count: 1 },
      ],
      progress: {
        __typename: 'MessageProgress',
        total: 4,
        final: 3,
        delivered: 2,
        failed: 1,
        inFlight: 1,
        medianTimeToDeliverMs: 4200,
      },
      resendAttempt: null,
      resendOf: null,
      resends: [],
      resendable: { __typename: 'ResendableFailures', count: 1, unlikelyToSucceed: 0, optedOut: 0, alreadyResent: 0 },
    },
  }) satisfies FindMessageQuery
