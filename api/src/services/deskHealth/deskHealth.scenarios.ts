import type { Prisma } from '@prisma/client'

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)
const event = (receivedAt: Date) => ({
  data: {
    rawBody: '{}',
    headers: {},
    kind: 'recipient_delivery_report_sms',
    verdict: 'ACCEPTED' as const,
    processingState: 'PROCESSED' as const,
    receivedAt,
  },
})
const refusal = {
  data: {
    reason: 'signature_mismatch',
    reasonText: 'signature does not match',
    details: {},
    method: 'POST',
    url: '/sinchCallbacks',
    bodyExcerpt: '{}',
  },
}

/** A message out for 20 minutes whose recipient waits at Dispatched; the last callback came 15 minutes ago. */
export const stalled = defineScenario<Prisma.MessageCreateArgs | Prisma.CallbackEventCreateArgs>({
  message: {
    out: {
      data: {
        id: 'stalled_1',
        body: 'Your parcel is on its way',
        recipientCount: 1,
        sinchBatchId: 'STALLEDBATCH1',
        submitState: 'SUBMITTED',
        submittedAt: minutesAgo(20),
        recipients: {
          create: [{ phoneNumber: '+12025550777', status: 'Dispatched', statusRank: 2, statusAt: minutesAgo(16) }],
        },
      },
    },
  },
  callbackEvent: { last: event(minutesAgo(15)) },
})

/** The same, but a callback was stored a minute ago. */
export const flowing = defineScenario<Prisma.MessageCreateArgs | Prisma.CallbackEventCreateArgs>({
  message: { out: stalled.message.out },
  callbackEvent: { last: event(minutesAgo(1)) },
})

/** Six refused callbacks for two stored ones, all in the last minutes. */
export const refused = defineScenario<Prisma.CallbackEventCreateArgs | Prisma.CallbackRejectionCreateArgs>({
  callbackEvent: { a: event(minutesAgo(1)), b: event(minutesAgo(2)) },
  callbackRejection: { r1: refusal, r2: refusal, r3: refusal, r4: refusal, r5: refusal, r6: refusal },
})
