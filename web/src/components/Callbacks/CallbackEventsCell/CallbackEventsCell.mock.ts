import type { CallbackEventsQuery } from 'types/graphql'

// Define your own mock data here:
export const standard = (/* vars, { ctx, req } */) =>
  ({
    callbackEvents: {
      __typename: 'CallbackEventPage',
      nextCursor: 7,
      items: [
        {
          __typename: 'CallbackEvent',
          id: 9,
          receivedAt: '2024-05-01T10:00:04.000Z',
          kind: 'recipient_delivery_report_sms',
          verdict: 'ACCEPTED',
          processingState: 'PROCESSED',
          error: null,
          batchId: '01HXBATCH0000000000000001',
          secretId: 'primary',
          reportsStored: 2,
          reports: {
            __typename: 'CallbackReports',
            total: 1,
            items: [
              {
                __typename: 'CallbackReport',
                phoneNumber: '+46701234567',
                status: 'Delivered',
                code: 0,
                messageId: 'msg-1',
              },
            ],
          },
          rawBody: '{"type":"recipient_delivery_report_sms","status":"Delivered","code":0}',
          headers: { 'content-type': 'application/json', 'x-sinch-webhook-signature-nonce': 'nonce-9' },
        },
        {
          __typename: 'CallbackEvent',
          id: 8,
          receivedAt: '2024-05-01T10:00:03.000Z',
          kind: 'delivery_report_sms',
          verdict: 'REJECTED',
          processingState: 'REJECTED',
          error: 'Body is not valid JSON',
          batchId: null,
          secretId: null,
          reportsStored: 0,
          reports: null,
          rawBody: 'not json',
          headers: { 'content-type': 'text/plain' },
        },
      ],
    },
  }) satisfies CallbackEventsQuery
