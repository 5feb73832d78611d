import type { Prisma, CallbackEvent } from '@prisma/client'

import type { ScenarioData } from '@redwoodjs/testing/api'

const base = { rawBody: '{}', headers: { 'content-type': 'application/json' } }

export const standard = defineScenario<
  Prisma.CallbackEventCreateArgs,
  'callbackEvent',
  'accepted' | 'duplicate' | 'rejected'
>({
  callbackEvent: {
    accepted: {
      data: {
        ...base,
        kind: 'recipient_delivery_report_sms',
        verdict: 'ACCEPTED',
        processingState: 'PROCESSED',
        batchId: 'B1',
      },
    },
    duplicate: {
      data: {
        ...base,
        kind: 'recipient_delivery_report_sms',
        verdict: 'DUPLICATE',
        processingState: 'PROCESSED',
        batchId: 'B1',
      },
    },
    rejected: {
      data: { ...base, kind: 'invalid', verdict: 'REJECTED', processingState: 'REJECTED', error: 'malformed JSON' },
    },
  },
})

export type StandardScenario = ScenarioData<CallbackEvent, 'callbackEvent', 'accepted' | 'duplicate' | 'rejected'>
