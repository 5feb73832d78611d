/**
 * MMS with the sandbox over real HTTP: a picture staff send to SMS recipients
 * goes out as one mt_media batch whose body.url is our signed /mediaPublic
 * link, which the sandbox fetches like Sinch before it accepts the batch;
 * reports arrive as for text. Refused, with nothing stored or sent, when MMS
 * is off, the file too large or not a picture an MMS carries, or the caller
 * a viewer.
 */
import { samplePdf, samplePng } from 'sandbox/mediaFiles'
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { startCallbackServer } from 'testing/callbackServer'
import { callResolver } from 'testing/callResolver'
import { pointConfigAtSandbox } from 'testing/sandboxConfig'
import { signInAs } from 'testing/staff'

import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'

import { mediaLimits } from './media'
import { sendMms } from './mediaSend'

jest.setTimeout(60_000)

let restoreConfig: () => void
let sandbox: SinchSandbox
let server: Awaited<ReturnType<typeof startCallbackServer>>
const OURS = { startsWith: '+120255507' }

beforeAll(async () => {
  server = await startCallbackServer()
  sandbox = await createSinchSandbox({ callbackSecret: SANDBOX_CALLBACK_SECRET, stepDelayMs: 25, retryBaseMs: 20 })
  restoreConfig = pointConfigAtSandbox(sandbox.url, server.url, {
    SINCH_MMS_ENABLED: 'true',
    MEDIA_UPLOAD_MAX_BYTES: '50000',
  })
})

afterAll(async () => {
  await db.message.deleteMany({ where: { recipients: { some: { phoneNumber: OURS } } } })
  await db.auditEvent.deleteMany({ where: { action: 'mms_sent' } }).catch(() => {})
  restoreConfig()
  await sandbox.close()
  await server.close()
})

beforeEach(() => signInAs('sender'))

const waitFor = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
  const until = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (ok(value) || Date.now() > until) return value
    await new Promise((r) => setTimeout(r, 50))
  }
}

const png = samplePng(48)
/** The batch Sinch (the sandbox) received for a message: ours carry the message id as client_reference. */
const batchOf = (messageId: string) =>
  [...sandbox.batches.values()].find((e) => e.batch.client_reference === messageId)!

const send = (recipients: string, fileName: string, bytes: Buffer, message?: string) =>
  callResolver(sendMms, { input: { recipients, fileName, contentBase64: bytes.toString('base64'), message } })

describe('MMS (mt_media)', () => {
  it('the api tells the web whether MMS is enabled', async () => {
    expect(await callResolver(mediaLimits, {})).toMatchObject({
      mmsEnabled: true,
      mmsTypes: ['image/jpeg', 'image/png', 'image/gif'],
    })
  })

  it('sent as one mt_media batch with a signed link the sandbox fetched, audited, and Delivered', async () => {
    const numbers = ['+12025550701', '+12025550702']
    const auditBefore = await db.auditEvent.count({ where: { action: 'mms_sent' } })
    const { message, invalid } = await send(numbers.join('\n'), 'parcel.png', png, 'Your parcel, as it left us')
    expect(invalid).toEqual([])
    expect(message).toMatchObject({ channel: 'SMS', submitState: 'SUBMITTED', body: 'Your parcel, as it left us' })
    const file = await db.mediaFile.findFirstOrThrow({ where: { messageId: message!.id }, include: { content: true } })
    expect(file).toMatchObject({
      direction: 'OUTBOUND',
      state: 'STORED',
      mimeType: 'image/png',
      fileName: 'parcel.png',
    })
    expect(Buffer.from(file.content!.bytes).equals(png)).toBe(true)
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: 'mms_sent', targetId: message!.id } })
    expect(audit.details).toMatchObject({ channel: 'SMS', recipients: 2, mimeType: 'image/png', bytes: png.length })
    expect(await db.auditEvent.count({ where: { action: 'mms_sent' } })).toBe(auditBefore + 1)

    // What Sinch received: one mt_media batch, our id as client_reference, the signed link it fetched.
    const entry = batchOf(message!.id)
    expect(entry.batch).toMatchObject({
      type: 'mt_media',
      to: ['12025550701', '12025550702'],
      client_reference: message!.id,
      body: { message: 'Your parcel, as it left us' },
    })
    const body = entry.batch.body as { url: string }
    expect(body.url).toMatch(
      new RegExp(`^${server.url.replace('/sinchCallbacks', '')}/mediaPublic\\?key=${file.key}&exp=\\d+&sig=`)
    )
    expect(entry.fetched).toEqual({ status: 200, bytes: png.length, contentType: 'image/png' })

    const recipients = await waitFor(
      () => db.messageRecipient.findMany({ where: { messageId: message!.id } }),
      (rs) => rs.every((r) => r.status === 'Delivered')
    )
    expect(recipients.map((r) => r.status)).toEqual(['Delivered', 'Delivered'])
    // Reports of an MMS batch are Sinch's _mms kind.
    expect(sandbox.deliveries.some((d) => d.batchId === entry.batch.id && d.kind.includes('mms'))).toBe(true)
  })

  it('without a caption the picture goes alone (no text)', async () => {
    const { message } = await send('+12025550703', 'parcel.png', png)
    expect(message).toMatchObject({ submitState: 'SUBMITTED', body: 'parcel.png' })
    expect(batchOf(message!.id).batch.body).toEqual({ url: expect.stringContaining('/mediaPublic') })
  })

  it('refuses before storing or sending: too large, not a picture, MMS disabled', async () => {
    const ours = { recipients: { some: { phoneNumber: '+12025550704' } } }
    const before = { messages: await db.message.count({ where: ours }), atSinch: sandbox.batches.size }
    await expect(send('+12025550704', 'big.png', Buffer.concat([png, Buffer.alloc(60_000)]))).rejects.toThrow(
      'The file is larger than 49 KB, the most that can be sent (MEDIA_UPLOAD_MAX_BYTES).'
    )
    await expect(send('+12025550704', 'note.png', samplePdf('x'))).rejects.toThrow(
      'note.png is application/pdf: an MMS carries a picture (JPEG, PNG or GIF).'
    )
    await expect(send('+12025550704', 'page.png', Buffer.from('<html><script>1</script></html>'))).rejects.toThrow(
      /page\.png is not a recognised type/
    )
    process.env.SINCH_MMS_ENABLED = 'false'
    resetConfigForTests()
    try {
      expect(await callResolver(mediaLimits, {})).toMatchObject({ mmsEnabled: false })
      await expect(send('+12025550704', 'parcel.png', png)).rejects.toThrow(
        'MMS is not enabled: Sinch offers MMS only on some plans (US/CA); once yours has it, set SINCH_MMS_ENABLED=true.'
      )
    } finally {
      process.env.SINCH_MMS_ENABLED = 'true'
      resetConfigForTests()
    }
    expect(await db.message.count({ where: ours })).toBe(before.messages)
    expect(sandbox.batches.size).toBe(before.atSinch)
  })

  it('a viewer may not send', async () => {
    await signInAs('viewer')
    await expect(send('+12025550705', 'parcel.png', png)).rejects.toThrow("You don't have access to do that.")
    expect(await db.message.count({ where: { recipients: { some: { phoneNumber: '+12025550705' } } } })).toBe(0)
  })
})
