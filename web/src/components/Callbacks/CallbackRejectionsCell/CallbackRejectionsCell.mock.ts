import type { CallbackRejectionsQuery } from 'types/graphql'

export const standard = (/* vars, { ctx, req } */) =>
  ({
    callbackRejections: {
      __typename: 'CallbackRejectionPage',
      nextCursor: 3,
      items: [
        {
          __typename: 'CallbackRejection',
          id: 5,
          receivedAt: '2024-05-01T10:00:04.000Z',
          reason: 'signature_mismatch',
          reasonText: 'signature matches none of the configured secrets (current, previous)',
          details: {
            triedSecretIds: ['current', 'previous'],
            triedSecrets: [
              { id: 'current', fingerprint: 'sha256:1a2b3c4d' },
              { id: 'previous', fingerprint: 'sha256:5e6f7a8b' },
            ],
          },
          method: 'POST',
          url: '/sinchCallbacks',
          host: '127.0.0.1:8911',
          forwardedProto: 'https',
          forwardedHost: 'abc123.ngrok-free.app',
          remoteAddress: '127.0.0.1',
          contentLength: 180,
          bodyExcerpt: '{"type":"recipient_delivery_report_sms","batch_id":"01HXBATCH"}',
        },
        {
          __typename: 'CallbackRejection',
          id: 4,
          receivedAt: '2024-05-01T10:00:03.000Z',
          reason: 'timestamp_out_of_window',
          reasonText: 'timestamp 412s in the past (window ±300s)',
          details: { skewSeconds: 412, toleranceSeconds: 300 },
          method: 'POST',
          url: '/sinchCallbacks?token=…',
          host: 'desk.example.com',
          forwardedProto: null,
          forwardedHost: null,
          remoteAddress: null,
          contentLength: 120,
          bodyExcerpt: '{}',
        },
      ],
    },
  }) satisfies CallbackRejectionsQuery
