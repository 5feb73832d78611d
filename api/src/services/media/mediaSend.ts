/**
 * Staff send a file on WhatsApp (README "Media"): checked before anything is
 * stored (size while decoding, type in the bytes, opt-out, the 24-hour
 * window unless the file is the header of a media template), then the message, its recipient, the file and the audit event in
 * one transaction, then submitted like any WhatsApp message: Sinch fetches
 * the file from a signed, expiring link and reports statuses as for text.
 */
import crypto from 'node:crypto'

import type { MutationsendMmsArgs, MutationsendWhatsAppMediaArgs } from 'types/graphql'

import { UserInputError } from '@redwoodjs/graphql-server'

import { requireAuth } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { formatBytes, mediaKind, sniffMediaType, SNIFF_BYTES } from 'src/lib/mediaTypes'
import { newMediaKey } from 'src/lib/mediaUrl'
import { ROLES_THAT } from 'src/lib/roles'
import { recordAudit } from 'src/services/audit/audit'
import { MAX_BODY_LENGTH, newMessageData, submit } from 'src/services/sending/sending'
import { screenSendTargets } from 'src/services/sending/sendTargets'
import { submitWhatsApp, templateToSend, WINDOW_CLOSED_REASON, windowsFor } from 'src/services/whatsapp/whatsapp'

const MAX_FILE_NAME = 200

/** The decoded file, refused before decoding when its base64 is already too long. */
export function decodeUpload(contentBase64: string, maxBytes: number): Buffer {
  const clean = contentBase64.replace(/^data:[^,]*,/, '').replace(/\s/g, '')
  if (clean.length > Math.ceil(maxBytes / 3) * 4)
    throw new UserInputError(
      `The file is larger than ${formatBytes(maxBytes)}, the most that can be sent (MEDIA_UPLOAD_MAX_BYTES).`
    )
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new UserInputError('The file did not arrive intact (not base64).')
  const bytes = Buffer.from(clean, 'base64')
  if (bytes.length === 0) throw new UserInputError('The file is empty.')
  if (bytes.length > maxBytes)
    throw new UserInputError(
      `The file is larger than ${formatBytes(maxBytes)}, the most that can be sent (MEDIA_UPLOAD_MAX_BYTES).`
    )
  return bytes
}

/**
 * An upload checked before anything is stored: its name, its size while
 * decoding, and its type as found in the bytes (never as declared).
 */
export function readUpload(
  input: { fileName: string; contentBase64: string },
  allowedTypes: readonly string[],
  whatToSend: string
): { fileName: string; bytes: Buffer; mimeType: string } {
  const fileName = input.fileName
    .trim()
    .replace(/[\\/\r\n]/g, '_')
    .slice(0, MAX_FILE_NAME)
  if (!fileName) throw new UserInputError('The file needs a name.')
  const bytes = decodeUpload(input.contentBase64, config().media.uploadMaxBytes)
  const mimeType = sniffMediaType(bytes.subarray(0, SNIFF_BYTES), { fileName })
  if (!mimeType || !allowedTypes.includes(mimeType))
    throw new UserInputError(`${fileName} is ${mimeType ?? 'not a recognised type'}: ${whatToSend}.`)
  return { fileName, bytes, mimeType }
}

/** A stored outbound copy of an upload, created with its message (the signed link Sinch fetches points at it). */
function outboundFile(upload: { fileName: string; bytes: Buffer; mimeType: string }) {
  return {
    key: newMediaKey(),
    direction: 'OUTBOUND' as const,
    fileName: upload.fileName,
    mimeType: upload.mimeType,
    sizeBytes: upload.bytes.length,
    sha256: crypto.createHash('sha256').update(upload.bytes).digest('hex'),
    state: 'STORED' as const,
    storedAt: new Date(),
    uploadedById: context.currentUser?.id ?? null,
    content: { create: { bytes: upload.bytes } },
  }
}

export const sendWhatsAppMedia = async ({ input }: MutationsendWhatsAppMediaArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  const { media, conversation } = { media: config().media, conversation: config().conversation }
  if (!conversation) throw new UserInputError('WhatsApp is not configured: set SINCH_CONVERSATION_APP_ID.')
  const { fileName, bytes, mimeType } = readUpload(
    input,
    media.allowedTypes,
    'send a picture (JPEG, PNG, WebP, GIF), a video, audio or a document (PDF, Word, Excel, PowerPoint)'
  )
  const targets = await screenSendTargets({ recipients: input.phoneNumber })
  if (targets.invalid) throw new UserInputError(targets.invalid.map((p) => `${p.input}: ${p.reason}`).join('; '))
  if (targets.valid.length !== 1) throw new UserInputError('Send a file to one number at a time.')
  const [phoneNumber] = targets.valid
  // A media template (the file as its header) may be sent at any time; a plain file only inside the window.
  const templated =
    input.templateId === null || input.templateId === undefined
      ? null
      : await templateToSend(input.templateId, input.templateParameters)
  if (templated && mediaKind(mimeType) === 'audio')
    throw new UserInputError('A template header can be a picture, a video or a document, not audio.')
  if (!templated && !(await windowsFor([phoneNumber])).get(phoneNumber)!.open)
    throw new UserInputError(`${phoneNumber}: ${WINDOW_CLOSED_REASON}`)

  const message = await db.$transaction(async (tx) => {
    const created = await tx.message.create({
      data: {
        body: templated?.body ?? fileName,
        templateId: templated?.template.id ?? null,
        templateName: templated?.template.name ?? null,
        templateLanguage: templated?.template.languageCode ?? null,
        templateParameters: templated ? templated.template.parameters : undefined,
        channel: 'WHATSAPP',
        sender: config().sinch.from || null,
        recipientCount: 1,
        submitAttempts: 1,
        createdById: context.currentUser?.id ?? null,
        recipients: { create: { phoneNumber } },
      },
      select: { id: true },
    })
    const file = await tx.mediaFile.create({
      data: { ...outboundFile({ fileName, bytes, mimeType }), messageId: created.id },
      select: { id: true },
    })
    await recordAudit(tx, {
      action: 'media_sent',
      targetType: 'message',
      targetId: created.id,
      details: {
        channel: 'WHATSAPP',
        kind: mediaKind(mimeType),
        mimeType,
        bytes: bytes.length,
        mediaFileId: file.id,
        ...(templated ? { template: templated.template.name } : {}),
      },
    })
    await notifyLive(tx, { messageIds: [created.id] })
    return created
  })
  await submitWhatsApp(message.id)
  return db.message.findUniqueOrThrow({ where: { id: message.id } })
}

/** Picture types Sinch's MMS carries (docs/sinch-protocol.md#media), as far as MEDIA_ALLOWED_TYPES allows them. */
const MMS_PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/gif']

export function mmsTypes(): string[] {
  return MMS_PICTURE_TYPES.filter((t) => config().media.allowedTypes.includes(t))
}

/**
 * Staff send a picture to SMS recipients as one MMS (README "Media"): only
 * when SINCH_MMS_ENABLED (Sinch enables MMS per plan). The upload is checked
 * like a WhatsApp file, then the message, its recipients, the file and the
 * audit event are stored in one transaction before Sinch is called, and the
 * SMS sending path submits it as an mt_media batch.
 */
export const sendMms = async ({ input }: MutationsendMmsArgs) => {
  requireAuth({ roles: [...ROLES_THAT.send] })
  if (!config().sinch.mmsEnabled)
    throw new UserInputError(
      'MMS is not enabled: Sinch offers MMS only on some plans (US/CA); once yours has it, set SINCH_MMS_ENABLED=true.'
    )
  const caption = input.message?.trim() ?? ''
  if (caption.length > MAX_BODY_LENGTH)
    throw new UserInputError(`The text has ${caption.length} characters; the limit is ${MAX_BODY_LENGTH}.`)
  const upload = readUpload(input, mmsTypes(), 'an MMS carries a picture (JPEG, PNG or GIF)')
  const { valid, invalid, clientReference } = await screenSendTargets(input)
  if (invalid) return { message: null, invalid }

  const message = await db.$transaction(async (tx) => {
    const created = await tx.message.create({
      // Without a caption the file's name stands for the message (and is not sent as text).
      data: newMessageData(caption || upload.fileName, input.sender, clientReference, valid),
      select: { id: true },
    })
    const file = await tx.mediaFile.create({
      data: { ...outboundFile(upload), messageId: created.id },
      select: { id: true },
    })
    await recordAudit(tx, {
      action: 'mms_sent',
      targetType: 'message',
      targetId: created.id,
      details: {
        channel: 'SMS',
        recipients: valid.length,
        mimeType: upload.mimeType,
        bytes: upload.bytes.length,
        mediaFileId: file.id,
      },
    })
    await notifyLive(tx, { messageIds: [created.id] })
    return created
  })
  await submit(message.id)
  return { message: await db.message.findUnique({ where: { id: message.id } }), invalid: [] }
}
