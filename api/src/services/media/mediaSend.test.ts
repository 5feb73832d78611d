/**
 * Media with the sandbox over real HTTP: a customer's photo, document,
 * expired link, oversize file and HTML posing as a JPEG, simulated by the
 * sandbox and fetched by our fetcher; and a document staff send back, which
 * the sandbox fetches from our signed /mediaPublic link like Sinch, then
 * reports to READ. Outbound checks (window, size, type) refuse before
 * anything is stored or sent.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { samplePdf } from 'sandbox/mediaFiles'
import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { startCallbackServer } from 'testing/callbackServer'
import { callResolver } from 'testing/callResolver'
import { pointConfigAtSandbox } from 'testing/sandboxConfig'
import { signInAs } from 'testing/staff'

import { handler as mediaPublic } from 'src/functions/mediaPublic'
import { db } from 'src/lib/db'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'
import { resendFailed } from 'src/services/sending/sending'

import { fetchDueMedia } from './mediaFetcher'
import { sendWhatsAppMedia } from './mediaSend'
import { outboundMediaUrl } from './mediaStore'

jest.setTimeout(60_000)

let restoreConfig: () => void
let sandbox: SinchSandbox
let server: Awaited<ReturnType<typeof startCallbackServer>>

beforeAll(async () => {
  server = await startCallbackServer()
  sandbox = await createSinchSandbox({
    callbackSecret: SANDBOX_CALLBACK_SECRET,
    stepDelayMs: 25,
    retryBaseMs: 20,
    maxAttempts: 3,
    conversationCallbackUrl: server.url,
    oversizeBytes: 3 * 1024 * 1024,
  })
  restoreConfig = pointConfigAtSandbox(sandbox.url, server.url, {
    MEDIA_MAX_BYTES: String(1024 * 1024),
    MEDIA_UPLOAD_MAX_BYTES: '50000',
    // The default in sandbox mode: the sandbox's own host.
    MEDIA_FETCH_ALLOWED_HOSTS: undefined,
  })
})

afterAll(async () => {
  // What these tests stored, so that later test files start from what they expect.
  const ours = { startsWith: '+120255506' }
  await db.message.deleteMany({ where: { recipients: { some: { phoneNumber: ours } } } })
  await db.inboundMessage.deleteMany({ where: { fromNumber: ours } })
  await db.auditEvent.deleteMany({ where: { action: 'media_sent' } }).catch(() => {})
  restoreConfig()
  await sandbox.close()
  await server.close()
})

beforeEach(() => signInAs('sender'))

const waitFor = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (ok(v)) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting; last: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function simulate(from: string, body: Record<string, unknown>) {
  const res = await fetch(`${sandbox.url}/sandbox/inbound`, { method: 'POST', body: JSON.stringify({ from, ...body }) })
  expect(res.status).toBe(202)
  const messageId = ((await res.json()) as { message_id: string }).message_id
  const stored = await waitFor(
    () =>
      db.inboundMessage.findUnique({
        where: { externalId: `conv:${messageId}` },
        include: { media: true },
      }),
    (m) => m !== null
  )
  return stored!
}

const mediaState = (inboundId: number) =>
  db.mediaFile.findFirstOrThrow({ where: { inboundMessageId: inboundId }, include: { content: true } })

describe('the sandbox plays inbound media', () => {
  it('a photo and a document are copied; an expired link, an oversize file and HTML as a JPEG say why not', async () => {
    const photo = await simulate('+12025550601', { media: 'photo' })
    const document = await simulate('+12025550601', { media: 'document' })
    const expired = await simulate('+12025550602', { media: 'expired' })
    const oversize = await simulate('+12025550603', { media: 'oversize' })
    const wrongType = await simulate('+12025550604', { media: 'wrong-type' })
    await fetchDueMedia({ limit: 10 })

    expect(await mediaState(photo.id)).toMatchObject({ state: 'STORED', mimeType: 'image/png' })
    expect(await mediaState(document.id)).toMatchObject({
      state: 'STORED',
      mimeType: 'application/pdf',
      fileName: 'delivery-note.pdf',
    })
    expect(await mediaState(expired.id)).toMatchObject({
      state: 'FAILED',
      failureReason: 'the link has expired or is gone (HTTP 403)',
    })
    expect((await mediaState(oversize.id)).failureReason).toMatch(/^too large: more than 1\.0 MB/)
    expect((await mediaState(wrongType.id)).failureReason).toMatch(/^type not allowed/)
  })

  it('a location and a button reply are stored as such', async () => {
    const where = await simulate('+12025550605', { location: { latitude: 59.33, longitude: 18.06, title: 'Depot' } })
    expect(where).toMatchObject({ contentType: 'location', channel: 'WHATSAPP' })
    const chose = await simulate('+12025550605', { choice: 'Reschedule' })
    expect(chose).toMatchObject({ contentType: 'choice_response' })
    expect(JSON.parse(chose.body!)).toMatchObject({ postback_data: 'Reschedule' })
  })
})

describe('staff send a file on WhatsApp', () => {
  const pdf = samplePdf('Your delivery note')

  it('inside the window: stored, fetched by the sandbox from the signed link like Sinch, and READ', async () => {
    const number = '+12025550611'
    await simulate(number, { text: 'Where is my parcel?' })
    const auditBefore = await db.auditEvent.count({ where: { action: 'media_sent' } })

    const message = await callResolver(sendWhatsAppMedia, {
      input: { phoneNumber: number, fileName: 'note.pdf', contentBase64: pdf.toString('base64') },
    })
    expect(message).toMatchObject({ channel: 'WHATSAPP', submitState: 'SUBMITTED', body: 'note.pdf' })
    const file = await db.mediaFile.findFirstOrThrow({ where: { messageId: message.id }, include: { content: true } })
    expect(file).toMatchObject({ direction: 'OUTBOUND', state: 'STORED', mimeType: 'application/pdf' })
    expect(Buffer.from(file.content!.bytes).equals(pdf)).toBe(true)
    expect(await db.auditEvent.count({ where: { action: 'media_sent', targetId: message.id } })).toBe(1)
    expect(await db.auditEvent.count({ where: { action: 'media_sent' } })).toBe(auditBefore + 1)

    // What Sinch received, and what it got when it fetched the link.
    const atSinch = sandbox.conversationSent.find((c) => c.identity === '12025550611' && c.kind === 'media')!
    const sentMessage = atSinch.body.message as { media_message: { url: string; filename_override: string } }
    expect(sentMessage.media_message.filename_override).toBe('note.pdf')
    expect(sentMessage.media_message.url).toMatch(
      new RegExp(`^${server.url.replace('/sinchCallbacks', '')}/mediaPublic\\?key=${file.key}&exp=\\d+&sig=`)
    )
    await waitFor(
      async () => atSinch.fetched,
      (f) => f !== undefined
    )
    expect(atSinch.fetched).toEqual({ status: 200, bytes: pdf.length, contentType: 'application/pdf' })

    const recipient = await waitFor(
      () => db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id } }),
      (r) => r.status === 'READ'
    )
    expect(recipient.phoneNumber).toBe(number)
  })

  it('refuses before storing or sending: window closed, too large, not an allowed type, not one number', async () => {
    await simulate('+12025550612', { text: 'hello' })
    const NUMBERS = ['+12025550612', '+12025550699', '+12025550611']
    const ours = { recipients: { some: { phoneNumber: { in: NUMBERS } } } }
    const before = {
      // These numbers only: other test files send at the same time.
      messages: await db.message.count({ where: ours }),
      files: await db.mediaFile.count({ where: { message: ours } }),
      atSinch: sandbox.conversationSent.length,
    }
    const attempt = (phoneNumber: string, fileName: string, bytes: Buffer) =>
      callResolver(sendWhatsAppMedia, {
        input: { phoneNumber, fileName, contentBase64: bytes.toString('base64') },
      })
    await expect(attempt('+12025550699', 'note.pdf', pdf)).rejects.toThrow(
      '+12025550699: no reply from this number in the last 24 hours: choose a template'
    )
    await expect(attempt('+12025550612', 'big.pdf', Buffer.concat([pdf, Buffer.alloc(60_000)]))).rejects.toThrow(
      'The file is larger than 49 KB, the most that can be sent (MEDIA_UPLOAD_MAX_BYTES).'
    )
    await expect(attempt('+12025550612', 'page.pdf', Buffer.from('<html><script>1</script></html>'))).rejects.toThrow(
      /page\.pdf is not a recognised type/
    )
    await expect(attempt('+12025550612, +12025550611', 'note.pdf', pdf)).rejects.toThrow(
      'Send a file to one number at a time.'
    )
    expect(await db.message.count({ where: ours })).toBe(before.messages)
    expect(await db.mediaFile.count({ where: { message: ours } })).toBe(before.files)
    expect(sandbox.conversationSent.length).toBe(before.atSinch)
  })

  it('a resend to a failed recipient sends the file again (its own copy)', async () => {
    // Our record says the window is open; the sandbox never saw this number reply, so it fails the message.
    const number = '+12025550614'
    await db.inboundMessage.create({
      data: {
        channel: 'WHATSAPP',
        externalId: `conv:resend-${Date.now()}`,
        fromNumber: number,
        receivedAt: new Date(),
        rawPayload: {},
      },
    })
    const message = await callResolver(sendWhatsAppMedia, {
      input: { phoneNumber: number, fileName: 'note.pdf', contentBase64: pdf.toString('base64') },
    })
    await waitFor(
      () => db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id } }),
      (r) => r.status === 'FAILED'
    )
    const { message: resend } = await callResolver(resendFailed, { id: message.id })
    const [original, copy] = await Promise.all([
      db.mediaFile.findFirstOrThrow({ where: { messageId: message.id }, include: { content: true } }),
      db.mediaFile.findFirstOrThrow({ where: { messageId: resend.id }, include: { content: true } }),
    ])
    expect(copy.key).not.toBe(original.key)
    expect(copy).toMatchObject({
      direction: 'OUTBOUND',
      state: 'STORED',
      mimeType: 'application/pdf',
      fileName: 'note.pdf',
    })
    expect(Buffer.from(copy.content!.bytes).equals(pdf)).toBe(true)
    const atSinch = sandbox.conversationSent.filter((c) => c.identity === '12025550614')
    expect(atSinch.map((c) => c.kind)).toEqual(['media', 'media'])
  })

  it('as a media template: sent with the window closed, the file as the header, fetched by the sandbox and READ', async () => {
    const number = '+12025550615'
    const template = await db.whatsAppTemplate.create({
      data: {
        name: `delivery_note_${Date.now()}`,
        languageCode: 'en',
        body: 'Your note for {{1}}',
        parameterNames: ['order'],
      },
    })
    await expect(
      callResolver(sendWhatsAppMedia, {
        input: {
          phoneNumber: number,
          fileName: 'note.pdf',
          contentBase64: pdf.toString('base64'),
          templateId: template.id,
        },
      })
    ).rejects.toThrow("Fill in the template's order.")
    const message = await callResolver(sendWhatsAppMedia, {
      input: {
        phoneNumber: number,
        fileName: 'note.pdf',
        contentBase64: pdf.toString('base64'),
        templateId: template.id,
        templateParameters: ['PX-7'],
      },
    })
    expect(message).toMatchObject({ templateName: template.name, body: 'Your note for PX-7', submitState: 'SUBMITTED' })
    const { key } = await db.mediaFile.findFirstOrThrow({ where: { messageId: message.id } })
    const atSinch = sandbox.conversationSent.find((c) => c.identity === '12025550615')!
    const whatsapp = (
      atSinch.body.message as {
        template_message: { channel_template: { WHATSAPP: { parameters: Record<string, string> } } }
      }
    ).template_message.channel_template.WHATSAPP
    expect(whatsapp.parameters['body[1]text']).toBe('PX-7')
    expect(whatsapp.parameters['header[1]document.link']).toContain(`/mediaPublic?key=${key}&exp=`)
    await waitFor(
      async () => atSinch.fetched,
      (f) => f !== undefined
    )
    expect(atSinch.fetched).toMatchObject({ status: 200, bytes: pdf.length })
    await waitFor(
      () => db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id } }),
      (r) => r.status === 'READ'
    )
    await db.whatsAppTemplate.delete({ where: { id: template.id } })
  })

  it('a viewer may not send', async () => {
    signInAs('viewer')
    await expect(
      callResolver(sendWhatsAppMedia, {
        input: { phoneNumber: '+12025550611', fileName: 'note.pdf', contentBase64: pdf.toString('base64') },
      })
    ).rejects.toThrow("You don't have access to do that.")
  })

  it('the link Sinch fetches expires, and a changed link is refused', async () => {
    const number = '+12025550613'
    await simulate(number, { text: 'hi' })
    const message = await callResolver(sendWhatsAppMedia, {
      input: { phoneNumber: number, fileName: 'note.pdf', contentBase64: pdf.toString('base64') },
    })
    const { key } = await db.mediaFile.findFirstOrThrow({ where: { messageId: message.id } })
    const get = async (url: string) => {
      const u = new URL(url)
      return (await mediaPublic({
        httpMethod: 'GET',
        path: '/mediaPublic',
        headers: {},
        queryStringParameters: Object.fromEntries(u.searchParams),
      } as unknown as APIGatewayProxyEvent)) as { statusCode: number; headers: Record<string, string> }
    }
    const fresh = await get(outboundMediaUrl(key))
    expect(fresh.statusCode).toBe(200)
    expect(fresh.headers).toMatchObject({ 'Content-Type': 'application/pdf', 'X-Content-Type-Options': 'nosniff' })
    // Signed two hours ago with a one-hour life (MEDIA_URL_TTL_SECONDS).
    expect((await get(outboundMediaUrl(key, new Date(Date.now() - 2 * 3600_000)))).statusCode).toBe(410)
    const tampered = new URL(outboundMediaUrl(key))
    tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 86_400))
    expect((await get(tampered.toString())).statusCode).toBe(403)
  })
})
