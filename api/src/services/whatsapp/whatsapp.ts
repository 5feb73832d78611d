/**
 * WhatsApp through Sinch's Conversation API (docs/sinch-protocol.md#conversation-api):
 * templates, the 24-hour customer-service window, sending and the thread of
 * one contact.
 *
 * The window (docs/sinch-protocol.md#whatsapp-templates-and-the-24-hour-window): a WhatsApp message from the user opens 24 hours in which
 * free-form text may be sent; each later message restarts the clock; outside
 * it only a template may be sent, and Sinch fails free text with FAILED
 * OUTSIDE_ALLOWED_SENDING_WINDOW. We compute it from the stored inbound
 * messages (InboundMessage, channel WHATSAPP, latest receivedAt) rather than a
 * Contact table: replies are already stored exactly once by the verified
 * callback path, so there is nothing to keep in step, and the
 * (channel, fromNumber, receivedAt) index makes it one index probe per
 * number. Only WhatsApp replies count: an SMS reply does not open WhatsApp's
 * window (Sinch speaks of "a message from the user" on WhatsApp).
 * receivedAt is Sinch's accept_time of the reply (or event_time): Sinch
 * does not say which clock Meta uses, so the window may be off by the seconds
 * between the user's send and Sinch's accept.
 */
import type { MutationResolvers, QueryResolvers } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { CONVERSATION_REASON_MEANINGS, statusMeaning } from 'src/lib/deliveryStatus'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { normalisePhoneNumber, MAX_RECIPIENTS_PER_SEND, type RecipientProblem } from 'src/lib/phone'
import { ROLES_THAT } from 'src/lib/roles'
import {
  LANGUAGE_CODE,
  sinchConversationClient,
  type ConversationContent,
  type TemplateParameters,
} from 'src/lib/sinch/conversation'
import { isSinchError } from 'src/lib/sinch/errors'
import { recordAudit } from 'src/services/audit/audit'
import { THREAD_MEDIA_SELECT, threadContent, threadMedia } from 'src/services/media/media'
import { outboundMediaUrl, templateHeaderParameter } from 'src/services/media/mediaStore'
import { optOutReason } from 'src/services/optOuts/optOuts'
import { PLAIN_SEND, type SendAudit } from 'src/services/sending/sendAudit'
import { screenSendTargets } from 'src/services/sending/sendTargets'
import { recordConversationAccepted } from 'src/services/smsStatus/attach'

export const WINDOW_MS = 24 * 3600_000
/** WhatsApp's text limit (Meta's, not Sinch's: docs/sinch-protocol.md#whatsapp-templates-and-the-24-hour-window). */
export const MAX_WHATSAPP_TEXT = 4096
/** Meta's limit for a template's body text. */
export const MAX_TEMPLATE_BODY = 1024
/** Labels staff give the parameters: a bound of ours, well above what a 1,024-character body can use. */
export const MAX_TEMPLATE_PARAMETERS = 100
/** One parameter label: a bound of ours (a label names a value, e.g. "order number"). */
export const MAX_TEMPLATE_PARAMETER_LENGTH = 100
/** Meta's template names: lower case, digits and underscores, at most 512 characters. */
export const TEMPLATE_NAME = /^[a-z0-9_]+$/
export const MAX_TEMPLATE_NAME_LENGTH = 512

/** What createWhatsAppTemplate accepts, for the web to check before it asks (the patterns as regular expressions). */
export const whatsAppTemplateLimits: QueryResolvers['whatsAppTemplateLimits'] = () => ({
  namePattern: TEMPLATE_NAME.source,
  maxNameLength: MAX_TEMPLATE_NAME_LENGTH,
  languageCodePattern: LANGUAGE_CODE.source,
  maxBodyLength: MAX_TEMPLATE_BODY,
  maxParameters: MAX_TEMPLATE_PARAMETERS,
  maxParameterLength: MAX_TEMPLATE_PARAMETER_LENGTH,
})
export const WINDOW_CLOSED_REASON = 'no reply from this number in the last 24 hours: choose a template'

export type Window = { phoneNumber: string; open: boolean; lastInboundAt: Date | null; closesAt: Date | null }

/** The 24-hour window of each number (E.164), at `now`. */
export async function windowsFor(phoneNumbers: string[], now = new Date()): Promise<Map<string, Window>> {
  const unique = [...new Set(phoneNumbers)]
  const rows =
    unique.length === 0
      ? []
      : await db.inboundMessage.groupBy({
          by: ['fromNumber'],
          where: { channel: 'WHATSAPP', fromNumber: { in: unique } },
          _max: { receivedAt: true },
        })
  const latest = new Map(rows.map((r) => [r.fromNumber, r._max.receivedAt]))
  return new Map(
    unique.map((phoneNumber) => {
      const lastInboundAt = latest.get(phoneNumber) ?? null
      const closesAt = lastInboundAt ? new Date(lastInboundAt.getTime() + WINDOW_MS) : null
      return [phoneNumber, { phoneNumber, lastInboundAt, closesAt, open: !!closesAt && closesAt > now }]
    })
  )
}

/** A phone number, however typed, is far shorter; a longer entry is not one. */
const MAX_PHONE_NUMBER_INPUT_LENGTH = 64

export const conversationWindows: QueryResolvers['conversationWindows'] = async ({ phoneNumbers }) => {
  // Compose asks for the numbers of one send: bounded like a send.
  if (phoneNumbers.length > MAX_RECIPIENTS_PER_SEND)
    throw new UserInputError(
      `${phoneNumbers.length} numbers: ask for the windows of at most ${MAX_RECIPIENTS_PER_SEND} at a time.`
    )
  const tooLong = phoneNumbers.find((n) => n.length > MAX_PHONE_NUMBER_INPUT_LENGTH)
  if (tooLong !== undefined)
    throw new UserInputError(
      `"${tooLong.slice(0, 20)}…" is ${tooLong.length} characters long; a phone number has at most ${MAX_PHONE_NUMBER_INPUT_LENGTH}.`
    )
  const region = config().phoneDefaultRegion
  const numbers = phoneNumbers.map((n) => {
    const parsed = normalisePhoneNumber(n, region)
    return parsed.ok ? parsed.e164 : n
  })
  const windows = await windowsFor(numbers)
  return numbers.map((n) => windows.get(n)!)
}

// ---- Templates ------------------------------------------------------------

export const whatsAppTemplates: QueryResolvers['whatsAppTemplates'] = () =>
  db.whatsAppTemplate.findMany({ orderBy: [{ name: 'asc' }, { languageCode: 'asc' }] })

export const createWhatsAppTemplate: MutationResolvers['createWhatsAppTemplate'] = async ({ input }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const name = input.name.trim()
  const languageCode = input.languageCode.trim()
  const body = input.body.trim()
  const parameterNames = input.parameterNames.map((p) => p.trim()).filter(Boolean)
  if (!TEMPLATE_NAME.test(name) || name.length > MAX_TEMPLATE_NAME_LENGTH)
    throw new UserInputError(
      'The template name is the name at Meta: lower-case letters, digits and _ (e.g. order_shipped).'
    )
  if (!LANGUAGE_CODE.test(languageCode))
    throw new UserInputError('The language code uses an underscore, as WhatsApp requires: e.g. en_US or en.')
  if (!body) throw new UserInputError('Give a preview of the template body, with {{1}}, {{2}}... for the parameters.')
  if (body.length > MAX_TEMPLATE_BODY)
    throw new UserInputError(
      `The body has ${body.length} characters; a WhatsApp template body has at most ${MAX_TEMPLATE_BODY}.`
    )
  if (
    parameterNames.length > MAX_TEMPLATE_PARAMETERS ||
    parameterNames.some((p) => p.length > MAX_TEMPLATE_PARAMETER_LENGTH)
  )
    throw new UserInputError(
      `Give at most ${MAX_TEMPLATE_PARAMETERS} parameter labels, each at most ${MAX_TEMPLATE_PARAMETER_LENGTH} characters.`
    )
  const existing = await db.whatsAppTemplate.findUnique({ where: { name_languageCode: { name, languageCode } } })
  if (existing) throw new UserInputError(`${name} (${languageCode}) is already configured.`)
  return db.$transaction(async (tx) => {
    const template = await tx.whatsAppTemplate.create({ data: { name, languageCode, body, parameterNames } })
    await recordAudit(tx, {
      action: 'template_added',
      targetType: 'whatsAppTemplate',
      targetId: template.id,
      details: { name, languageCode, parameters: parameterNames.length },
    })
    return template
  })
}

export const deleteWhatsAppTemplate: MutationResolvers['deleteWhatsAppTemplate'] = async ({ id }) => {
  requireAuth({ roles: [...ROLES_THAT.administer] })
  const existing = await db.whatsAppTemplate.findUnique({ where: { id } })
  if (!existing) throw new UserInputError(`No WhatsApp template ${id}.`)
  return db.$transaction(async (tx) => {
    const removed = await tx.whatsAppTemplate.delete({ where: { id } })
    await recordAudit(tx, {
      action: 'template_removed',
      targetType: 'whatsAppTemplate',
      targetId: id,
      details: { name: removed.name, languageCode: removed.languageCode },
    })
    return removed
  })
}

/** The template's preview with {{1}}, {{2}}... replaced by the values. */
export function renderTemplate(body: string, values: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, i) => values[Number(i) - 1] ?? whole)
}

// ---- Sending --------------------------------------------------------------

export type TemplateToSend = { id: number; name: string; languageCode: string; parameters: TemplateParameters }

/** A template and its filled-in values, checked: what is stored on the message and sent, and the preview as body. */
export async function templateToSend(
  templateId: number,
  templateParameters: string[] | null | undefined
): Promise<{ template: TemplateToSend; body: string }> {
  const t = await db.whatsAppTemplate.findUnique({ where: { id: templateId } })
  if (!t) throw new UserInputError(`No WhatsApp template ${templateId}.`)
  const values = (templateParameters ?? []).map((v) => v.trim())
  const missing = t.parameterNames.filter((_, i) => !values[i])
  if (missing.length > 0) throw new UserInputError(`Fill in the template's ${missing.join(', ')}.`)
  if (values.length > t.parameterNames.length)
    throw new UserInputError(`${t.name} takes ${t.parameterNames.length} parameters, not ${values.length}.`)
  // Body parameters, 1-based: body[1]text, body[2]text... (docs/sinch-protocol.md#whatsapp-templates-and-the-24-hour-window).
  const parameters = Object.fromEntries(t.parameterNames.map((_, i) => [`body[${i + 1}]text`, values[i]]))
  return {
    template: { id: t.id, name: t.name, languageCode: t.languageCode, parameters },
    body: renderTemplate(t.body, values),
  }
}

type SendInput = {
  body: string
  recipients: string
  clientReference?: string | null
  sender?: string | null
  templateId?: number | null
  templateParameters?: string[] | null
  smsFallback?: boolean | null
}

/**
 * sendMessage with channel WHATSAPP. Like SMS, the message and its recipients
 * are stored before Sinch is called and nothing is sent while any entry is
 * refused; free text to a number whose window is closed is refused here, per
 * recipient, with WINDOW_CLOSED_REASON, and Sinch is not called.
 */
export async function sendWhatsApp(input: SendInput, audit: SendAudit = PLAIN_SEND) {
  if (!config().conversation) {
    throw new UserInputError(
      'WhatsApp is not configured: set SINCH_CONVERSATION_APP_ID and a project access key (SINCH_PROJECT_ID, SINCH_KEY_ID, SINCH_KEY_SECRET).'
    )
  }
  let body: string
  let template: TemplateToSend | null = null
  if (input.templateId !== null && input.templateId !== undefined) {
    ;({ template, body } = await templateToSend(input.templateId, input.templateParameters))
  } else {
    body = input.body.trim()
    if (!body) throw new UserInputError('Write a message, or choose a template.')
    if (body.length > MAX_WHATSAPP_TEXT)
      throw new UserInputError(`The text has ${body.length} characters; WhatsApp allows ${MAX_WHATSAPP_TEXT}.`)
  }
  const { valid, invalid, clientReference } = await screenSendTargets(input)
  if (invalid) return { message: null, invalid }

  if (!template) {
    const windows = await windowsFor(valid)
    const closed: RecipientProblem[] = valid
      .filter((n) => !windows.get(n)!.open)
      .map((n) => ({ input: n, reason: WINDOW_CLOSED_REASON }))
    if (closed.length > 0) return { message: null, invalid: closed }
  }

  const message = await db.$transaction(async (tx) => {
    const created = await tx.message.create({
      data: {
        body,
        channel: 'WHATSAPP',
        sender: input.sender?.trim() || config().sinch.from || null,
        clientReference,
        recipientCount: valid.length,
        submitAttempts: 1,
        createdById: context.currentUser?.id ?? null,
        templateId: template?.id ?? null,
        templateName: template?.name ?? null,
        templateLanguage: template?.languageCode ?? null,
        templateParameters: template ? template.parameters : undefined,
        smsFallback: !!input.smsFallback,
        recipients: { createMany: { data: valid.map((phoneNumber) => ({ phoneNumber })) } },
      },
      select: { id: true },
    })
    await recordAudit(tx, {
      action: audit.action,
      targetType: 'message',
      targetId: created.id,
      details: {
        channel: 'WHATSAPP',
        recipients: valid.length,
        ...(template ? { template: template.name } : {}),
        ...audit.details,
      },
    })
    await notifyLive(tx, { messageIds: [created.id] })
    return created
  })
  await submitWhatsApp(message.id)
  return { message: await db.message.findUnique({ where: { id: message.id } }), invalid: [] }
}

/**
 * One messages:send per recipient that has no Conversation message id yet
 * (so a retry sends only to the others). Never throws for Sinch errors: the
 * message is FAILED with why, and retrySendMessage submits the rest.
 *
 * Free text is checked against each recipient's window again here (a retry
 * or a resend may come after the window closed): a recipient whose window is
 * closed is refused, not sent, and named in submitError with why.
 *
 * Not covered: an attempt whose answer was lost (a timeout) after Sinch
 * accepted it is sent again on retry; the Conversation API has no lookup by
 * our reference in Sinch's API (unlike the SMS batch list).
 */
export async function submitWhatsApp(messageId: string) {
  const message = await db.message.findUniqueOrThrow({
    where: { id: messageId },
    include: {
      recipients: { where: { sinchMessageId: null }, select: { id: true, phoneNumber: true }, orderBy: { id: 'asc' } },
    },
  })
  const conversation = config().conversation
  const log = logger.child({ messageId, recipients: message.recipients.length, channel: 'WHATSAPP' })
  const failures: string[] = []
  if (!conversation) {
    failures.push('WhatsApp is not configured (SINCH_CONVERSATION_APP_ID)')
  } else {
    const client = sinchConversationClient(conversation)
    // A file staff sent: Sinch fetches it from a signed link that expires (docs/sinch-protocol.md#media).
    const media = await db.mediaFile.findFirst({
      where: { messageId, direction: 'OUTBOUND', state: 'STORED' },
      select: { key: true, fileName: true, mimeType: true },
    })
    const content: ConversationContent = message.templateName
      ? {
          kind: 'template',
          templateId: message.templateName,
          languageCode: message.templateLanguage ?? 'en_US',
          parameters: {
            ...((message.templateParameters ?? {}) as TemplateParameters),
            // A media template: the file is its header (docs/sinch-protocol.md#media), linked afresh on each attempt.
            ...(media ? { [templateHeaderParameter(media.mimeType)]: outboundMediaUrl(media.key) } : {}),
          },
        }
      : media
        ? { kind: 'media', url: outboundMediaUrl(media.key), fileName: media.fileName ?? undefined }
        : { kind: 'text', text: message.body }
    let queue = [...message.recipients]
    // Free text and files alike need the window; only a template does not.
    if (content.kind !== 'template') {
      const windows = await windowsFor(queue.map((r) => r.phoneNumber))
      for (const r of queue.filter((r) => !windows.get(r.phoneNumber)!.open))
        failures.push(`${r.phoneNumber}: ${WINDOW_CLOSED_REASON}`)
      queue = queue.filter((r) => windows.get(r.phoneNumber)!.open)
    }
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        try {
          const accepted = await client.sendMessage({
            to: r.phoneNumber,
            content,
            smsFallback: message.smsFallback,
            smsSender: message.sender ?? undefined,
            metadata: message.id,
            correlationId: message.id,
          })
          await recordConversationAccepted({ recipientId: r.id, sinchMessageId: accepted.message_id })
        } catch (error) {
          if (!isSinchError(error)) throw error
          failures.push(`${r.phoneNumber}: ${error.message}`)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker))
  }
  if (failures.length > 0) {
    log.warn({ failures: failures.length }, 'Sinch did not accept every WhatsApp message')
    await db.message.update({
      where: { id: messageId },
      data: {
        submitState: 'FAILED',
        submitError: `Not sent to ${failures.length} of ${message.recipients.length}: ${failures.slice(0, 3).join('; ')}${failures.length > 3 ? '…' : ''}`,
      },
    })
  } else {
    await db.message.update({
      where: { id: messageId },
      data: { submitState: 'SUBMITTED', submittedAt: new Date(), submitError: null },
    })
    log.info('WhatsApp messages accepted by Sinch')
  }
  await notifyLive(db, { messageIds: [messageId] })
}

// ---- The thread of one contact --------------------------------------------

const THREAD_LIMIT = 200

/** "OUTSIDE_ALLOWED_SENDING_WINDOW: description" → the code and its meaning. */
export function explainReason(reason: string | null | undefined): {
  reasonCode: string | null
  reasonMeaning: string | null
} {
  if (!reason) return { reasonCode: null, reasonMeaning: null }
  // Stored as "CODE: description"; Sinch's model lets the code be missing, and then only the description is stored.
  const match = /^([A-Z][A-Z0-9_]*)(?::\s*([\s\S]*))?$/.exec(reason.trim())
  if (!match) return { reasonCode: null, reasonMeaning: reason }
  const [, code, description] = match
  return {
    reasonCode: code,
    reasonMeaning: CONVERSATION_REASON_MEANINGS[code] ?? (description || 'Not in Sinch’s documented reasons'),
  }
}

function channelOf(raw: unknown): string | null {
  const channel = (raw as { message_delivery_report?: { channel_identity?: { channel?: unknown } } })
    ?.message_delivery_report?.channel_identity?.channel
  return typeof channel === 'string' ? channel : null
}

export const contactThread: QueryResolvers['contactThread'] = async ({ phoneNumber }) => {
  const parsed = normalisePhoneNumber(phoneNumber, config().phoneDefaultRegion)
  if (!parsed.ok) throw new UserInputError(`${phoneNumber}: ${parsed.reason}`)
  const number = parsed.e164
  const [inbound, recipients, windows] = await Promise.all([
    db.inboundMessage.findMany({
      where: { fromNumber: number },
      orderBy: { receivedAt: 'desc' },
      take: THREAD_LIMIT,
      include: { media: { select: THREAD_MEDIA_SELECT, orderBy: { position: 'asc' } } },
    }),
    db.messageRecipient.findMany({
      where: { phoneNumber: number },
      orderBy: { id: 'desc' },
      take: THREAD_LIMIT,
      include: {
        message: {
          select: {
            id: true,
            body: true,
            channel: true,
            createdAt: true,
            submittedAt: true,
            templateName: true,
            media: { select: THREAD_MEDIA_SELECT, orderBy: { position: 'asc' } },
          },
        },
        updates: { orderBy: [{ at: 'asc' }, { receivedAt: 'asc' }, { id: 'asc' }] },
      },
    }),
    windowsFor([number]),
  ])
  const optOut = await db.optOut.findUnique({
    where: { phoneNumber: number },
    include: { inboundMessage: { select: { body: true } }, createdBy: { select: { email: true } } },
  })
  const entries = [
    ...inbound.map((m) => {
      // Text is shown as sent; other content by its own fields (the stored body is Sinch's JSON).
      const { caption, ...content } = threadContent(m.contentType, m.body)
      return {
        id: `inbound-${m.id}`,
        direction: 'INBOUND',
        channel: m.channel,
        at: m.receivedAt,
        body: m.contentType === 'text' || (m.channel === 'SMS' && m.contentType === 'media') ? m.body || null : caption,
        contentType: m.contentType,
        media: m.media.map(threadMedia),
        ...content,
      }
    }),
    ...recipients.map((r) => {
      const reasonUpdate = [...r.updates].reverse().find((u) => u.status === r.status && u.reason)
      return {
        id: `outbound-${r.id}`,
        direction: 'OUTBOUND',
        channel: r.message.channel,
        at: r.message.submittedAt ?? r.message.createdAt,
        body: r.message.media.length > 0 ? null : r.message.body,
        media: r.message.media.map(threadMedia),
        messageId: r.message.id,
        templateName: r.message.templateName,
        status: r.status,
        statusMeaning: statusMeaning(r.status),
        ...explainReason(reasonUpdate?.reason),
        timeline: r.updates.map((u) => ({
          id: u.id,
          status: u.status,
          statusMeaning: statusMeaning(u.status),
          at: u.at,
          channel: channelOf(u.rawPayload),
          // Sinch sent no event time, or one later than the report arrived: `at` is our receipt time.
          atIsReceiptTime: u.timeSource === 'RECEIVED' || u.timeSource === 'CLAMPED',
          ...explainReason(u.reason),
        })),
      }
    }),
  ].sort((a, b) => a.at.getTime() - b.at.getTime())
  return {
    phoneNumber: number,
    window: windows.get(number)!,
    entries,
    latestInboundId: inbound.length > 0 ? Math.max(...inbound.map((m) => m.id)) : null,
    optOut: optOut ? { since: optOut.createdAt, reason: optOutReason(optOut), note: optOut.note } : null,
  }
}
