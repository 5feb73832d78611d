import type { Message, Prisma } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

const at = (s: string) => new Date(`2025-03-01T10:00:${s}Z`)

/**
 * Three messages, newest first: `parcel` (three recipients in three states,
 * with a timeline), `reminder` (submitted, nobody reported yet) and `refused`
 * (Sinch did not accept it).
 */
export const standard = defineScenario<Prisma.MessageCreateArgs, 'message', 'parcel' | 'reminder' | 'refused'>({
  message: {
    refused: {
      data: {
        id: 'msg_refused',
        body: 'Refused by Sinch',
        recipientCount: 1,
        submitState: 'FAILED',
        submitError: 'Sinch refused the batch (400 syntax_invalid_parameter_format: Invalid MSISDN)',
        createdAt: new Date('2025-02-27T09:00:00Z'),
        recipients: { create: [{ phoneNumber: '+46700000001' }] },
      },
    },
    reminder: {
      data: {
        id: 'msg_reminder',
        body: 'Appointment tomorrow',
        clientReference: 'APPT-77',
        recipientCount: 1,
        sinchBatchId: 'BATCH_REMINDER',
        submitState: 'SUBMITTED',
        submittedAt: new Date('2025-02-28T09:00:00Z'),
        createdAt: new Date('2025-02-28T09:00:00Z'),
        recipients: { create: [{ phoneNumber: '+46700000002' }] },
      },
    },
    parcel: {
      data: {
        id: 'msg_parcel',
        body: 'Your parcel is on its way',
        clientReference: 'ORD-42',
        recipientCount: 3,
        sinchBatchId: 'BATCH_PARCEL',
        submitState: 'SUBMITTED',
        submittedAt: at('00'),
        createdAt: new Date('2025-03-01T10:00:00Z'),
        recipients: {
          create: [
            {
              phoneNumber: '+46701111111',
              status: 'Delivered',
              statusRank: 3,
              code: 0,
              statusAt: at('04'),
              updates: {
                create: [
                  {
                    dedupeKey: 'p1-d',
                    batchId: 'BATCH_PARCEL',
                    phoneNumber: '+46701111111',
                    status: 'Delivered',
                    code: 0,
                    at: at('04'),
                    rawPayload: { status: 'Delivered' },
                  },
                  {
                    dedupeKey: 'p1-q',
                    batchId: 'BATCH_PARCEL',
                    phoneNumber: '+46701111111',
                    status: 'Queued',
                    code: 400,
                    at: at('01'),
                    rawPayload: { status: 'Queued' },
                  },
                  {
                    dedupeKey: 'p1-s',
                    batchId: 'BATCH_PARCEL',
                    phoneNumber: '+46701111111',
                    status: 'Dispatched',
                    code: 401,
                    at: at('02'),
                    rawPayload: { status: 'Dispatched' },
                  },
                ],
              },
            },
            { phoneNumber: '+46702222222', status: 'Delivered', statusRank: 3, code: 0, statusAt: at('10') },
            { phoneNumber: '+46703333333', status: 'Aborted', statusRank: 3, code: 402, statusAt: at('03') },
          ],
        },
      },
    },
  },
})

export type StandardScenario = ScenarioData<Message, 'message', 'parcel' | 'reminder' | 'refused'>
