import { db } from 'src/lib/db'

import { attachStoredReport, recordBatchSubmitted, recordConversationAccepted } from './attach'
import { recordReport } from './recordReport'
import type { ReportRow } from './reportRows'

/**
 * One rule decides which recipient a report belongs to
 * (delivery_report_recipient). A report that arrives after its message is
 * matched by delivery_record_report; one that arrives before is stored
 * waiting and attached later: when the send is recorded (recordBatchSubmitted,
 * recordConversationAccepted) or when its callback is re-processed
 * (attachStoredReport). Every path must end at the same recipient.
 */

const A = '+46700000001'
const B = '+46700000002'

/** The world the reports meet: two sent SMS messages, one not sent yet, a WhatsApp message. */
async function createMessages() {
  const sms = (id: string, numbers: string[]) =>
    db.message.create({
      data: {
        id,
        body: id,
        recipientCount: numbers.length,
        recipients: { create: numbers.map((phoneNumber) => ({ phoneNumber })) },
      },
    })
  await sms('m1', [A, B])
  await sms('m2', [A])
  await sms('m3', [A])
  await db.message.create({
    data: {
      id: 'w4',
      body: 'w4',
      channel: 'WHATSAPP',
      recipientCount: 1,
      recipients: { create: [{ phoneNumber: A }] },
    },
  })
}

/** The sends as the api records them: m1 first (its batch id), then m2, then the WhatsApp message id. m3 is never sent. */
async function recordSends() {
  await recordBatchSubmitted({ messageId: 'm1', batchId: 'B1' })
  await recordBatchSubmitted({ messageId: 'm2', batchId: 'B2' })
  const w4 = await db.messageRecipient.findFirstOrThrow({ where: { messageId: 'w4' } })
  await recordConversationAccepted({ recipientId: w4.id, sinchMessageId: 'WA1' })
}

async function clear() {
  await db.smsStatusUpdate.deleteMany()
  await db.message.deleteMany()
}

type Shape = { batchId: string; phoneNumber: string; clientReference?: string; conversation?: boolean }

function row(shape: Shape): ReportRow {
  const at = new Date('2025-03-01T10:00:00.000Z')
  return {
    dedupeKey: shape.conversation
      ? `conv:${shape.batchId}:DELIVERED`
      : `sms:${shape.batchId}:${shape.phoneNumber}:Delivered:0:${at.toISOString()}`,
    batchId: shape.batchId,
    phoneNumber: shape.phoneNumber,
    clientReference: shape.clientReference,
    sinchMessageId: shape.conversation ? shape.batchId : undefined,
    status: shape.conversation ? 'DELIVERED' : 'Delivered',
    code: shape.conversation ? null : 0,
    at,
    timeSource: 'REPORTED',
    rawPayload: shape,
    source: 'PUSHED',
    callbackEventId: null,
  }
}

/** Where the report ended: "message/phone" of its recipient, or null while it waits. */
async function recipientOf(report: ReportRow): Promise<string | null> {
  const stored = await db.smsStatusUpdate.findUniqueOrThrow({
    where: { dedupeKey: report.dedupeKey },
    select: { recipientId: true },
  })
  if (stored.recipientId === null) return null
  const rc = await db.messageRecipient.findUniqueOrThrow({ where: { id: stored.recipientId } })
  return `${rc.messageId}/${rc.phoneNumber}`
}

const cases: [string, Shape, string | null][] = [
  ['SMS, by its batch id', { batchId: 'B1', phoneNumber: B, clientReference: 'm1' }, 'm1/' + B],
  [
    'SMS naming one batch and another message: the batch wins',
    { batchId: 'B2', phoneNumber: A, clientReference: 'm1' },
    'm2/' + A,
  ],
  [
    'SMS by client_reference, its message not sent yet',
    { batchId: 'B9', phoneNumber: A, clientReference: 'm3' },
    'm3/' + A,
  ],
  [
    'SMS naming a sent message by client_reference only: no match',
    { batchId: 'B9', phoneNumber: A, clientReference: 'm1' },
    null,
  ],
  ['SMS for a number the batch does not have: no match', { batchId: 'B2', phoneNumber: B }, null],
  ['Conversation, by its message id', { batchId: 'WA1', phoneNumber: A, conversation: true }, 'w4/' + A],
  [
    'Conversation with an unknown message id, naming an SMS message: never matched by number',
    { batchId: 'WA9', phoneNumber: A, clientReference: 'm1', conversation: true },
    null,
  ],
]

describe('a report finds the same recipient whether it comes before its message or after', () => {
  for (const [name, shape, expected] of cases) {
    scenario(name, async () => {
      const report = row(shape)

      // After: the messages and their sends are recorded, then the report arrives.
      await createMessages()
      await recordSends()
      expect(await recordReport(db, report)).toMatchObject({ inserted: true })
      const after = await recipientOf(report)
      await clear()

      // Before, attached on send: the report waits, then the messages are sent.
      expect(await recordReport(db, report)).toMatchObject({ inserted: true, matched: false })
      await createMessages()
      await recordSends()
      const onSend = await recipientOf(report)
      await clear()

      // Before, attached on re-processing: the report waits, the sends are recorded, the report is attached.
      await recordReport(db, report)
      await createMessages()
      await recordSends()
      // (Recording the sends attached it already: make it wait again.)
      await db.$executeRaw`UPDATE "SmsStatusUpdate" SET "recipientId" = NULL`
      const attached = await db.$transaction((tx) => attachStoredReport(tx, report.dedupeKey))
      const onReprocess = await recipientOf(report)

      expect(after).toBe(expected)
      expect(onReprocess).toBe(after)
      expect(attached !== null).toBe(after !== null)
      // A report that names a message that is never sent waits for its send.
      expect(onSend).toBe(shape.clientReference === 'm3' ? null : after)
    })
  }
})
