/**
 * The sandbox is as strict as Sinch where Sinch is strict, so that a test
 * against it fails where Sinch would (docs/sinch-protocol.md#the-sandbox).
 * Real HTTP, raw requests: what our client never sends is checked too.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import {
  SANDBOX_API_TOKEN,
  SANDBOX_CONVERSATION_APP_ID,
  SANDBOX_PROJECT_ID,
  SANDBOX_SERVICE_PLAN_ID,
} from 'src/lib/sandboxCredentials'

import { samplePng } from '../mediaFiles'
import { createSinchSandbox, type SinchSandbox } from '../server'

let sandbox: SinchSandbox
let received: Record<string, unknown>[] = []
let receiver: http.Server
let receiverUrl: string

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`
  sandbox = await createSinchSandbox({
    callbackSecret: 'strict',
    stepDelayMs: 10,
    maxAttempts: 1,
    conversationCallbackUrl: receiverUrl,
  })
})
beforeEach(() => {
  sandbox.batches.clear()
  received = []
})
afterAll(async () => {
  await sandbox.close()
  await new Promise<void>((r) => receiver.close(() => r()))
})

const base = () => `${sandbox.url}/xms/v1/${SANDBOX_SERVICE_PLAN_ID}`
async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_API_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { batches?: { id: string }[] } }
}
const numbers = (n: number) => Array.from({ length: n }, (_, i) => `+4670${String(1_000_000 + i)}`)
const send = (fields: Record<string, unknown>) =>
  call('POST', '/batches', { to: ['+46701234567'], body: 'Hi', ...fields })

describe('sandbox: batches', () => {
  it('takes at most 1,000 recipients per batch, as Sinch does', async () => {
    expect(await send({ to: numbers(1001) })).toMatchObject({
      status: 400,
      json: { code: 'syntax_constraint_violation', text: expect.stringMatching(/1001 recipients.*1000/) },
    })
    expect((await send({ to: numbers(1000) })).status).toBe(201)
  })

  it('handles mt_binary as binary: base64 body, hex udh, 140 bytes at most, answered as mt_binary', async () => {
    const ok = await send({ type: 'mt_binary', body: 'SGVsbG8=', udh: '0605040B8423F0' })
    expect(ok).toMatchObject({ status: 201, json: { type: 'mt_binary', body: 'SGVsbG8=', udh: '0605040B8423F0' } })
    expect(await send({ type: 'mt_binary', body: 'SGVsbG8=' })).toMatchObject({
      status: 400,
      json: { code: 'syntax_constraint_violation', text: expect.stringMatching(/udh/) },
    })
    expect(await send({ type: 'mt_binary', body: 'not base64!', udh: '00' })).toMatchObject({
      status: 400,
      json: { code: 'syntax_invalid_parameter_format' },
    })
    const tooLong = Buffer.alloc(140).toString('base64')
    expect(await send({ type: 'mt_binary', body: tooLong, udh: '0605040B8423F0' })).toMatchObject({
      status: 400,
      json: { text: expect.stringMatching(/147 bytes/) },
    })
    expect((await send({})).json.type).toBe('mt_text')
  })

  it('takes mt_media (MMS): fetches body.url like Sinch, 400 on a missing or bad one, reports as _mms', async () => {
    const png = samplePng(8)
    const files = http.createServer((req, res) => {
      if (req.url === '/parcel.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png)
      else if (req.url === '/page') res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>')
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()))
    const filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
    try {
      const mms = (body: unknown) =>
        send({ type: 'mt_media', body, delivery_report: 'per_recipient', callback_url: receiverUrl })
      const ok = await mms({ url: `${filesUrl}/parcel.png`, message: 'Your parcel' })
      expect(ok).toMatchObject({ status: 201, json: { type: 'mt_media', body: { url: `${filesUrl}/parcel.png` } } })
      expect(sandbox.batches.get(String(ok.json.id))!.fetched).toEqual({
        status: 200,
        bytes: png.length,
        contentType: 'image/png',
      })
      for (const [body, why] of [
        ['Hi', /must be an object/],
        [{ message: 'no file' }, /body\.url' is required/],
        [{ url: 'ftp://example.com/x.png' }, /body\.url' is required/],
        [{ url: `${filesUrl}/gone.png` }, /HTTP 404/],
        [{ url: `${filesUrl}/page` }, /text\/html is not supported/],
        [{ url: `${filesUrl}/parcel.png`, message: 42 }, /message' must be a string/],
      ] as const)
        expect(await mms(body)).toMatchObject({
          status: 400,
          json: { code: 'syntax_constraint_violation', text: expect.stringMatching(why) },
        })
      expect(sandbox.batches.size).toBe(1)
      const deadline = Date.now() + 5000
      while (!received.some((r) => r.status === 'Delivered') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20))
      expect(received.map((r) => r.type)).toEqual(expect.arrayContaining(['recipient_delivery_report_mms']))
      expect(received.every((r) => r.type === 'recipient_delivery_report_mms')).toBe(true)
    } finally {
      await new Promise<void>((r) => files.close(() => r()))
    }
  })

  it('answers a group id in to as Sinch answers an unknown group, and anything else as a bad number', async () => {
    expect(await send({ to: ['+46701234567', '01FC66621VHDBN119Z8PMV1QPU'] })).toMatchObject({
      status: 403,
      json: { code: 'unknown_group' },
    })
    expect(await send({ to: ['not-a-number'] })).toMatchObject({
      status: 400,
      json: { code: 'syntax_invalid_parameter_format' },
    })
    expect(sandbox.batches.size).toBe(0)
  })
})

describe('sandbox: listing batches', () => {
  async function sentAt(iso: string, fields: Record<string, unknown> = {}) {
    const { json } = await send(fields)
    sandbox.batches.get(String(json.id))!.batch.created_at = iso
    return String(json.id)
  }
  const ids = async (query: string) => ((await call('GET', `/batches${query}`)).json.batches ?? []).map((b) => b.id)

  it('looks back 24 hours by default; start_date and end_date move the window', async () => {
    const now = Date.now()
    const recent = await sentAt(new Date(now - 3600_000).toISOString())
    const twoDaysAgo = await sentAt(new Date(now - 48 * 3600_000).toISOString())
    expect(await ids('')).toEqual([recent])
    expect(await ids(`?start_date=${new Date(now - 72 * 3600_000).toISOString()}`)).toEqual([twoDaysAgo, recent])
    expect(
      await ids(
        `?start_date=${new Date(now - 72 * 3600_000).toISOString()}&end_date=${new Date(now - 24 * 3600_000).toISOString()}`
      )
    ).toEqual([twoDaysAgo])
    expect((await call('GET', '/batches?start_date=yesterday')).status).toBe(400)
  })

  it('filters by sender (from) and pages', async () => {
    const iso = new Date().toISOString()
    const a = await sentAt(iso, { from: '+12025550100' })
    await sentAt(iso, { from: 'DeskSender' })
    expect(await ids('?from=12025550100')).toEqual([a])
    expect(await ids('?from=12025550100,DeskSender')).toHaveLength(2)
    expect(await call('GET', '/batches?page_size=1&page=1')).toMatchObject({
      json: { count: 2, page: 1, page_size: 1 },
    })
    expect((await call('GET', '/batches?page_size=101')).status).toBe(400)
  })
})

describe('sandbox: delivery report lookups', () => {
  it('apply the status and code filters', async () => {
    const { json } = await send({ to: ['+46701234567', '+46701234402'] })
    const id = String(json.id)
    const entry = sandbox.batches.get(id)!
    // Once the sandbox has played its own reports (10 ms steps), set known latest ones.
    await new Promise((r) => setTimeout(r, 300))
    entry.latest.set('46701234567', { status: 'Delivered', code: 0, at: new Date().toISOString() })
    entry.latest.set('46701234402', { status: 'Failed', code: 402, at: new Date().toISOString() })
    const statuses = async (query: string) =>
      ((await call('GET', `/batches/${id}/delivery_report${query}`)).json.statuses as { status: string }[]).map(
        (s) => s.status
      )
    expect((await statuses('?type=full')).sort()).toEqual(['Delivered', 'Failed'])
    expect(await statuses('?type=full&status=Failed')).toEqual(['Failed'])
    expect(await statuses('?code=0')).toEqual(['Delivered'])
    expect(await statuses('?status=Delivered&code=402')).toEqual([])
    expect((await call('GET', `/batches/${id}/delivery_report?code=abc`)).status).toBe(400)
    expect((await call('GET', `/batches/${id}/delivery_report?type=detailed`)).status).toBe(400)
  })
})

describe('sandbox: Conversation recipients by contact_id', () => {
  async function conversationSend(recipient: Record<string, unknown>) {
    const token = await fetch(`${sandbox.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('key:secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }).then((r) => r.json() as Promise<{ access_token: string }>)
    const res = await fetch(`${sandbox.url}/v1/projects/${SANDBOX_PROJECT_ID}/messages:send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        app_id: SANDBOX_CONVERSATION_APP_ID,
        recipient,
        message: { template_message: { channel_template: { WHATSAPP: { template_id: 't', language_code: 'en_US' } } } },
      }),
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }
  const waitFor = async (predicate: () => boolean) => {
    const deadline = Date.now() + 5000
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out')
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const reports = () =>
    received
      .map((r) => r.message_delivery_report as Record<string, unknown> | undefined)
      .filter((r): r is Record<string, unknown> => !!r)

  it('accepts an unknown contact id, then fails it with CONTACT_NOT_FOUND and no channel identity', async () => {
    const answer = await conversationSend({ contact_id: '01EXA07N79THJ20WSN6AS30TMW' })
    expect(answer).toMatchObject({ status: 200, json: { message_id: expect.any(String) } })
    await waitFor(() => reports().length > 0)
    expect(reports()[0]).toMatchObject({
      message_id: answer.json.message_id,
      status: 'FAILED',
      contact_id: '01EXA07N79THJ20WSN6AS30TMW',
      reason: { code: 'CONTACT_NOT_FOUND' },
    })
    expect(reports()[0]).not.toHaveProperty('channel_identity')
  })

  it('delivers to a contact it knows (one it has sent to), and refuses contact_id and identified_by together', async () => {
    await conversationSend({
      identified_by: { channel_identities: [{ channel: 'WHATSAPP', identity: '46701230001' }] },
    })
    await waitFor(() => reports().some((r) => r.status === 'READ'))
    received = []
    const answer = await conversationSend({ contact_id: 'contact-46701230001' })
    expect(answer.status).toBe(200)
    await waitFor(() => reports().some((r) => r.status === 'READ'))
    expect(reports()[0]).toMatchObject({ channel_identity: { identity: '46701230001' } })
    expect(
      (
        await conversationSend({
          contact_id: 'contact-46701230001',
          identified_by: { channel_identities: [{ channel: 'WHATSAPP', identity: '46701230001' }] },
        })
      ).status
    ).toBe(400)
  })
})
