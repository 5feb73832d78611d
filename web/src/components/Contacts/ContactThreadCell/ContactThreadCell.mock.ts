import type { ContactThreadQuery } from 'types/graphql'

const entry = {
  __typename: 'ThreadEntry' as const,
  contentType: null,
  media: [],
  location: null,
  choice: null,
  contactCard: null,
  messageId: null,
  templateName: null,
  status: null,
  statusMeaning: null,
  reasonCode: null,
  reasonMeaning: null,
  timeline: null,
}

const status = (
  id: number,
  s: string,
  at: string,
  channel: string,
  reasonCode: string | null = null,
  reasonMeaning: string | null = null
) => ({
  __typename: 'ThreadStatus' as const,
  id,
  status: s,
  at,
  atIsReceiptTime: false,
  channel,
  reasonCode,
  reasonMeaning,
})

export const standard = (/* vars, { ctx, req } */) =>
  ({
    contactThread: {
      __typename: 'ContactThread',
      phoneNumber: '+12025550441',
      latestInboundId: 1,
      optOut: null,
      window: {
        __typename: 'ConversationWindow',
        phoneNumber: '+12025550441',
        open: true,
        lastInboundAt: '2026-11-24T10:00:00.000Z',
        closesAt: '2026-11-25T10:00:00.000Z',
      },
      entries: [
        {
          ...entry,
          id: 'outbound-1',
          direction: 'OUTBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T09:59:00.000Z',
          body: 'Your order ORD-42 ships Tue 4 March.',
          messageId: 'msg-1',
          templateName: 'order_shipped',
          status: 'DELIVERED',
          statusMeaning: 'The channel reports it reached the user',
          timeline: [
            status(
              1,
              'SWITCHING_CHANNEL',
              '2026-11-24T09:59:01.000Z',
              'WHATSAPP',
              'RECIPIENT_NOT_REACHABLE',
              'The recipient cannot be reached on this channel'
            ),
            status(2, 'DELIVERED', '2026-11-24T09:59:03.000Z', 'SMS'),
          ],
        },
        {
          ...entry,
          id: 'inbound-1',
          direction: 'INBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:00:00.000Z',
          body: 'Yes, that works',
          contentType: 'text',
        },
        {
          ...entry,
          id: 'outbound-2',
          direction: 'OUTBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:01:00.000Z',
          body: 'Following up',
          messageId: 'msg-2',
          status: 'FAILED',
          statusMeaning: 'Failed, and no channel is left to try',
          reasonCode: 'OUTSIDE_ALLOWED_SENDING_WINDOW',
          reasonMeaning: 'Outside the 24-hour window: only a template may be sent',
        },
      ],
    },
  }) satisfies ContactThreadQuery

export const closed = () =>
  ({
    contactThread: {
      ...standard().contactThread,
      window: {
        __typename: 'ConversationWindow',
        phoneNumber: '+12025550441',
        open: false,
        lastInboundAt: null,
        closesAt: null,
      },
    },
  }) satisfies ContactThreadQuery

const file = {
  __typename: 'ThreadMedia' as const,
  declaredMimeType: null,
  failureReason: null,
  attempts: 1,
}

/** A customer's photo, a file that could not be fetched, a location and a button reply. */
export const withMedia = () =>
  ({
    contactThread: {
      ...standard().contactThread,
      entries: [
        {
          ...entry,
          id: 'inbound-2',
          direction: 'INBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:02:00.000Z',
          body: null,
          contentType: 'media',
          media: [
            {
              ...file,
              key: 'photoKey0000000000001',
              kind: 'image',
              state: 'STORED',
              mimeType: 'image/png',
              fileName: 'parcel.png',
              sizeBytes: 2048,
            },
          ],
        },
        {
          ...entry,
          id: 'inbound-3',
          direction: 'INBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:03:00.000Z',
          body: null,
          contentType: 'media',
          media: [
            {
              ...file,
              key: 'lostKey00000000000001',
              kind: 'document',
              state: 'FAILED',
              mimeType: null,
              fileName: null,
              sizeBytes: null,
              failureReason: 'the link has expired or is gone (HTTP 403)',
            },
          ],
        },
        {
          ...entry,
          id: 'inbound-4',
          direction: 'INBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:04:00.000Z',
          body: null,
          contentType: 'location',
          location: {
            __typename: 'ThreadLocation' as const,
            latitude: 59.33,
            longitude: 18.06,
            title: 'Depot',
            label: null,
            mapUrl: 'https://www.openstreetmap.org/?mlat=59.33&mlon=18.06#map=16/59.33/18.06',
          },
        },
        {
          ...entry,
          id: 'inbound-5',
          direction: 'INBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:05:00.000Z',
          body: null,
          contentType: 'choice_response',
          choice: { __typename: 'ThreadChoice' as const, chosen: 'Reschedule', answersMessageId: 'M1' },
        },
        {
          ...entry,
          id: 'outbound-3',
          direction: 'OUTBOUND',
          channel: 'WHATSAPP',
          at: '2026-11-24T10:06:00.000Z',
          body: null,
          messageId: 'msg-3',
          status: 'READ',
          statusMeaning: 'Read by the user',
          media: [
            {
              ...file,
              key: 'sentKey00000000000001',
              kind: 'document',
              state: 'STORED',
              mimeType: 'application/pdf',
              fileName: 'note.pdf',
              sizeBytes: 5_000_000,
            },
          ],
        },
      ],
    },
  }) satisfies ContactThreadQuery

export const optedOut = () =>
  ({
    contactThread: {
      ...closed().contactThread,
      optOut: {
        __typename: 'ThreadOptOut',
        since: '2026-11-24T10:05:00.000Z',
        reason: 'opted out (replied STOP on 2026-11-24)',
        note: null,
      },
    },
  }) satisfies ContactThreadQuery
