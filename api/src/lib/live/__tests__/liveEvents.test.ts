/**
 * Live updates by push (README "Live updates"): the database sends one
 * notification per committed transaction, a burst of callbacks is a handful of
 * notifications, and the event stream is for signed-in staff only.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { callbackEvent, recipientReport, TEST_CALLBACK_SECRET } from 'testing/callbackEvent'
import { callResolver } from 'testing/callResolver'
import { listenLive, type LiveNotifications } from 'testing/liveNotifications'
import { signInAs } from 'testing/staff'

import { handler as auth } from 'src/functions/auth'
import { handler as sinchCallbacks } from 'src/functions/sinchCallbacks'
import { buildCallbackPayload } from 'src/lib/callbackBuilder'
import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { markConversationRead } from 'src/services/conversations/conversations'
import { addOptOut, removeOptOut } from 'src/services/optOuts/optOuts'
import { upsertStaffUser } from 'src/services/staff/staff'

import { handleLiveEvents, liveHub, stopLiveEvents } from '../liveEventsRoute'
import { notifyLive } from '../notifyLive'

jest.setTimeout(60_000)

const PASSWORD = 'correct-horse-battery'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const MESSAGES = 10
const PER_MESSAGE = 20

async function seedMessages() {
  await db.smsStatusUpdate.deleteMany({ where: { recipient: { messageId: { startsWith: 'live_' } } } })
  await db.message.deleteMany({ where: { id: { startsWith: 'live_' } } })
  for (let m = 0; m < MESSAGES; m++) {
    await db.message.create({
      data: {
        id: `live_msg_${m}`,
        body: 'live test',
        recipientCount: PER_MESSAGE,
        submitState: 'SUBMITTED',
        sinchBatchId: `LIVEBATCH${m}`,
        recipients: {
          create: Array.from({ length: PER_MESSAGE }, (_, r) => ({
            phoneNumber: `+4670${m}${String(r).padStart(6, '0')}`,
          })),
        },
      },
    })
  }
}

const report = (m: number, r: number, status = 'Delivered') =>
  recipientReport({
    batchId: `LIVEBATCH${m}`,
    recipient: `4670${m}${String(r).padStart(6, '0')}`,
    status,
    code: status === 'Delivered' ? 0 : 401,
    at: '2025-03-01T10:00:00.000Z',
    clientReference: `live_msg_${m}`,
  })

const post = (body: object) => sinchCallbacks(callbackEvent(body), {} as never)

beforeAll(() => {
  process.env.SINCH_CALLBACK_SECRETS = `current=${TEST_CALLBACK_SECRET}`
  resetConfigForTests()
})

describe('the database announces changes once per transaction', () => {
  let listener: LiveNotifications
  beforeEach(async () => {
    await seedMessages()
    listener = await listenLive()
  })
  afterEach(() => listener.end())

  it('a callback is one notification naming its message and the callback log, with ids only', async () => {
    const res = await post(report(3, 7))
    expect(res.statusCode).toBe(200)
    const changes = await listener.settle()
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ messageIds: ['live_msg_3'], callbacks: true })
    expect(JSON.stringify(changes)).not.toContain('4670')
  })

  it("a writer announces once per transaction, with its messages and their recipients' messages; a rolled-back one is none", async () => {
    const recipient = await db.messageRecipient.findFirstOrThrow({ where: { messageId: 'live_msg_2' } })
    await db.$transaction(async (tx) => {
      await tx.messageRecipient.updateMany({ where: { messageId: 'live_msg_1' }, data: { status: 'Queued' } })
      await tx.message.update({ where: { id: 'live_msg_4' }, data: { submitError: null } })
      await notifyLive(tx, { messageIds: ['live_msg_1', 'live_msg_4', 'live_msg_1'], recipientIds: [recipient.id] })
    })
    await db
      .$transaction(async (tx) => {
        await tx.messageRecipient.updateMany({ where: { messageId: 'live_msg_5' }, data: { status: 'Queued' } })
        await notifyLive(tx, { messageIds: ['live_msg_5'] })
        throw new Error('roll back')
      })
      .catch(() => {})
    const changes = await listener.settle()
    expect(changes).toHaveLength(1)
    expect([...(changes[0].messageIds as string[])].sort()).toEqual(['live_msg_1', 'live_msg_2', 'live_msg_4'])
  })

  it('the callback tables have no live trigger: a write that does not announce itself is not seen', async () => {
    await db.$transaction(async (tx) => {
      await tx.messageRecipient.updateMany({ where: { messageId: 'live_msg_1' }, data: { status: 'Queued' } })
      await tx.message.update({ where: { id: 'live_msg_4' }, data: { submitError: null } })
    })
    expect(await listener.settle()).toHaveLength(0)
  })

  it('more than 100 messages in one notification are announced as "all"; nothing named is no notification', async () => {
    await notifyLive(db, { messageIds: Array.from({ length: 120 }, (_, i) => `live_many_${i}`) })
    await notifyLive(db, { messageIds: [], recipientIds: [], inboundIds: [] })
    const changes = await listener.settle()
    expect(changes).toHaveLength(1)
    expect(changes[0].messageIds).toBe('all')
  })

  it('a burst of 200 callbacks at once is a handful of notifications (group commit), covering every message', async () => {
    const bodies = Array.from({ length: 200 }, (_, i) => report(i % MESSAGES, Math.floor(i / MESSAGES)))
    const answers = await Promise.all(bodies.map(post))
    expect(answers.every((a) => a.statusCode === 200)).toBe(true)
    const changes = await listener.settle()
    const announced = new Set(changes.flatMap((c) => (c.messageIds === 'all' ? [] : c.messageIds)))
    // eslint-disable-next-line no-console
    console.log(`200 callbacks at once: ${changes.length} notifications`)
    expect(changes.length).toBeLessThanOrEqual(20)
    expect(announced.size).toBe(MESSAGES)
  })

  /** One group commit as ingestReportCallbacks sends it: `reports[i]` are callback i's reports. */
  const ingestBatch = (reports: { m: number; r: number; batch?: string }[][], tag: string) => {
    const payload = reports.map((rs, idx) => ({
      idx,
      nonce: `${tag}-${idx}`,
      requestId: `${tag}-req-${idx}`,
      kind: 'recipient_delivery_report_sms',
      rawBody: '{}',
      headers: {},
      secretId: 'current',
      batchId: rs[0]?.batch ?? `LIVEBATCH${rs[0]?.m}`,
      reports: rs.map(({ m, r, batch }) => ({
        dedupeKey: `${tag}:${idx}:${m}:${r}`,
        batchId: batch ?? `LIVEBATCH${m}`,
        phoneNumber: `+4670${m}${String(r).padStart(6, '0')}`,
        clientReference: `live_msg_${m}`,
        status: 'Delivered',
        rank: 4,
        code: 0,
        at: '2025-03-01T10:00:00.000Z',
        source: 'PUSHED',
        rawPayload: {},
      })),
    }))
    return db.$queryRawUnsafe('SELECT idx FROM delivery_ingest_batch($1::jsonb)', JSON.stringify(payload))
  }

  it('a group-committed batch of reports sends its own one notification, naming exactly the messages it changed', async () => {
    const tag = `direct-${Date.now()}`
    // Messages 2, 5 (twice) and 8; a report for a batch we do not know (stored
    // unmatched: the callback log changes, no message).
    await ingestBatch(
      [
        [{ m: 2, r: 1 }],
        [
          { m: 5, r: 1 },
          { m: 5, r: 2 },
        ],
        [{ m: 8, r: 3 }],
        [{ m: 1, r: 1, batch: 'NOSUCHBATCH' }],
      ],
      tag
    )
    let changes = await listener.settle()
    expect(changes).toHaveLength(1)
    expect(changes[0].callbacks).toBe(true)
    expect([...(changes[0].messageIds as string[])].sort()).toEqual(['live_msg_2', 'live_msg_5', 'live_msg_8'])

    // The same callbacks again: every nonce replayed, nothing written, nothing announced.
    changes.length = 0
    await ingestBatch([[{ m: 2, r: 1 }]], tag)
    changes = await listener.settle()
    expect(changes).toHaveLength(0)
  })

  it('a group commit touching more than 100 messages is announced as "all"', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `live_wide_${i}`)
    await db.message.deleteMany({ where: { id: { startsWith: 'live_wide_' } } })
    for (const id of ids) {
      await db.message.create({
        data: {
          id,
          body: 'x',
          recipientCount: 1,
          sinchBatchId: `W${id}`,
          recipients: { create: [{ phoneNumber: '+46700000001' }] },
        },
      })
    }
    await listener.settle()
    listener.changes.length = 0
    const tag = `wide-${Date.now()}`
    const payload = ids.map((id, idx) => ({
      idx,
      nonce: `${tag}-${idx}`,
      kind: 'recipient_delivery_report_sms',
      rawBody: '{}',
      headers: {},
      batchId: `W${id}`,
      reports: [
        {
          dedupeKey: `${tag}:${idx}`,
          batchId: `W${id}`,
          phoneNumber: '+46700000001',
          clientReference: id,
          status: 'Delivered',
          rank: 4,
          code: 0,
          at: '2025-03-01T10:00:00.000Z',
          source: 'PUSHED',
          rawPayload: {},
        },
      ],
    }))
    await db.$queryRawUnsafe('SELECT idx FROM delivery_ingest_batch($1::jsonb)', JSON.stringify(payload))
    const changes = await listener.settle()
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ messageIds: 'all', callbacks: true })
    await db.message.deleteMany({ where: { id: { startsWith: 'live_wide_' } } })
  })
})

// ---- writers that announce themselves ----------------------------------------

/** A number no other test here uses: its replies, read state and opt-out. */
const LIVE_NUMBER = '+12025550987'
let replySeq = 0
/** A reply stored and announced, as the callback path does (InboundMessage has no live trigger). */
async function storeReply() {
  const reply = await db.inboundMessage.create({
    data: {
      channel: 'SMS',
      externalId: `live-reply-${Date.now()}-${++replySeq}`,
      fromNumber: LIVE_NUMBER,
      body: 'hello',
      receivedAt: new Date(),
      rawPayload: {},
    },
  })
  await notifyLive(db, { inboundIds: [reply.id] })
  return reply
}

async function forgetLiveNumber() {
  await db.conversationRead.deleteMany({ where: { phoneNumber: LIVE_NUMBER } })
  await db.optOutEvent.deleteMany({ where: { phoneNumber: LIVE_NUMBER } })
  await db.optOut.deleteMany({ where: { phoneNumber: LIVE_NUMBER } })
  await db.inboundMessage.deleteMany({ where: { fromNumber: LIVE_NUMBER } })
}

describe('read state and opt-outs are announced by their writers, in their transaction', () => {
  let listener: LiveNotifications
  let readerId: number
  beforeEach(async () => {
    await forgetLiveNumber()
    readerId = (await upsertStaffUser({ email: 'reader@live.test', password: PASSWORD, role: 'admin' })).id
    listener = await listenLive()
  })
  afterEach(async () => {
    await listener.end()
    await forgetLiveNumber()
  })

  it('marking a conversation read names its reader (topic read:<user>), only when the marker moved', async () => {
    const older = await storeReply()
    const newer = await storeReply()
    await listener.settle()
    listener.changes.length = 0
    signInAs('viewer', { id: readerId })
    expect(await callResolver(markConversationRead, { phoneNumber: LIVE_NUMBER, upToInboundId: newer.id })).toBe(1)
    // An older tab marking up to an earlier reply moves nothing, and says nothing.
    expect(await callResolver(markConversationRead, { phoneNumber: LIVE_NUMBER, upToInboundId: older.id })).toBe(0)
    const changes = await listener.settle()
    expect(changes).toEqual([
      {
        messageIds: [],
        inboundIds: [],
        callbacks: false,
        refused: false,
        alarm: false,
        userIds: [],
        readUserIds: [readerId],
        optOuts: false,
      },
    ])
  })

  it('staff adding and removing an opt-out, and a STOP reply, each announce "opt-outs changed"; a refusal nothing', async () => {
    signInAs('admin', { id: readerId })
    await callResolver(addOptOut, { input: { phoneNumber: LIVE_NUMBER } })
    await expect(callResolver(addOptOut, { input: { phoneNumber: LIVE_NUMBER } })).rejects.toThrow(/already opted out/)
    await callResolver(removeOptOut, { phoneNumber: LIVE_NUMBER })
    let changes = await listener.settle()
    expect(changes.map((c) => c.optOuts)).toEqual([true, true])
    expect(JSON.stringify(changes)).not.toContain('2025550987')

    changes.length = 0
    const stop = buildCallbackPayload({ kind: 'mo_text', recipient: LIVE_NUMBER, body: 'STOP' })
    expect((await post(stop)).statusCode).toBe(200)
    changes = await listener.settle()
    expect(changes.some((c) => c.optOuts)).toBe(true)
    expect(await db.optOut.count({ where: { phoneNumber: LIVE_NUMBER } })).toBe(1)
  })
})

// ---- the event stream ------------------------------------------------------

function authEvent(body: Record<string, unknown>): APIGatewayProxyEvent {
  return {
    httpMethod: 'POST',
    path: '/auth',
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    resource: '/auth',
    requestContext: { requestId: 'test', identity: { sourceIp: '198.51.100.7' } },
  } as unknown as APIGatewayProxyEvent
}

async function sessionCookie(email: string) {
  const res = (await auth(
    authEvent({ method: 'login', username: email, password: PASSWORD }),
    {} as Context
  )) as APIGatewayProxyResult & { multiValueHeaders?: Record<string, string[]> }
  const cookies = (res.multiValueHeaders?.['Set-Cookie'] ?? res.multiValueHeaders?.['set-cookie'] ?? []).map(String)
  const session = cookies.find((c) => c.startsWith('session_'))
  if (!session) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`)
  return session.split(';')[0]
}

type Opened = { status: number; body: () => string; close: () => void; ended: Promise<void> }

/** Opens GET /liveEvents with a cookie and keeps reading what comes. */
function open(url: string, cookie?: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: cookie ? { cookie } : {} }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      const ended = new Promise<void>((done) => res.on('close', done))
      resolve({ status: res.statusCode!, body: () => text, close: () => req.destroy(), ended })
    })
    req.on('error', reject)
  })
}

async function until(what: () => boolean, ms = 5000) {
  const end = Date.now() + ms
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out')
    await sleep(25)
  }
}

describe('GET /liveEvents', () => {
  let server: http.Server
  let url: string
  const opened: Opened[] = []
  const track = async (p: Promise<Opened>) => {
    const o = await p
    opened.push(o)
    return o
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => void handleLiveEvents(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/liveEvents`
  })
  beforeEach(async () => {
    await db.signInAttempt.deleteMany()
    await upsertStaffUser({ email: 'ana@live.test', password: PASSWORD })
  })
  afterEach(async () => {
    opened.splice(0).forEach((o) => o.close())
    await stopLiveEvents()
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('refuses a request without a session, or with a forged cookie, with 401 and opens no stream', async () => {
    const anonymous = await track(open(url))
    expect(anonymous.status).toBe(401)
    const forged = await track(
      open(url, `${(await sessionCookie('ana@live.test')).split('=')[0]}=bm90LWEtc2Vzc2lvbg==|aXY=`)
    )
    expect(forged.status).toBe(401)
    expect(liveHub().size).toBe(0)
    expect(liveHub().listening).toBe(false)
  })

  it('streams changes to signed-in staff as ids only, through one LISTEN connection', async () => {
    await seedMessages()
    const cookie = await sessionCookie('ana@live.test')
    const [one, two] = await Promise.all([track(open(url, cookie)), track(open(url, cookie))])
    expect(one.status).toBe(200)
    expect(two.status).toBe(200)
    expect(liveHub().size).toBe(2)
    const listeners = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'delivery-desk live'`
    expect(listeners[0].n).toBe(1)
    expect((await post(report(6, 1))).statusCode).toBe(200)
    await until(() => one.body().includes('event: change') && two.body().includes('event: change'))
    expect(one.body()).toContain('data: {"m":["live_msg_6"],"c":1}')
    expect(one.body()).not.toContain('4670')
  })

  it("a user's read state reaches that user's streams (their other tabs) and nobody else's", async () => {
    await forgetLiveNumber()
    await upsertStaffUser({ email: 'bob@live.test', password: PASSWORD })
    const ana = await db.user.findUniqueOrThrow({ where: { email: 'ana@live.test' } })
    const [anaCookie, bobCookie] = [await sessionCookie('ana@live.test'), await sessionCookie('bob@live.test')]
    const [anaTab, anaOtherTab, bobTab] = await Promise.all([
      track(open(url, anaCookie)),
      track(open(url, anaCookie)),
      track(open(url, bobCookie)),
    ])
    expect([anaTab.status, anaOtherTab.status, bobTab.status]).toEqual([200, 200, 200])
    const reply = await storeReply()
    await until(() => [anaTab, anaOtherTab, bobTab].every((t) => t.body().includes(`"i":[${reply.id}]`)))

    signInAs('viewer', { id: ana.id })
    await callResolver(markConversationRead, { phoneNumber: LIVE_NUMBER, upToInboundId: reply.id })
    await until(() => anaTab.body().includes('data: {"rd":1}') && anaOtherTab.body().includes('data: {"rd":1}'))
    // An opt-out, announced after the read, reaches every stream: once Bob has it, he would have had the read.
    signInAs('sender', { id: ana.id })
    await callResolver(addOptOut, { input: { phoneNumber: LIVE_NUMBER } })
    await until(() => bobTab.body().includes('data: {"o":1}') && anaTab.body().includes('data: {"o":1}'))
    expect(bobTab.body()).not.toContain('rd')
    expect(bobTab.body().match(/event: change/g)).toHaveLength(2)
    await forgetLiveNumber()
  })

  it('streams a stored reply as its inbound id', async () => {
    const cookie = await sessionCookie('ana@live.test')
    const stream = await track(open(url, cookie))
    expect(stream.status).toBe(200)
    const mo = {
      type: 'mo_text',
      id: `MO_STREAM_${Date.now()}`,
      from: '46701234567',
      to: '12345',
      body: 'Hi',
      received_at: '2025-03-01T10:00:00Z',
    }
    expect((await post(mo)).statusCode).toBe(200)
    const inbound = await db.inboundMessage.findFirstOrThrow({ orderBy: { id: 'desc' } })
    await until(() => stream.body().includes('event: change'))
    expect(stream.body()).toContain(`data: {"i":[${inbound.id}],"c":1}`)
  })

  it('bounds the streams of one user on an instance (429 beyond LIVE_MAX_STREAMS_PER_USER)', async () => {
    process.env.LIVE_MAX_STREAMS_PER_USER = '2'
    resetConfigForTests()
    await stopLiveEvents()
    try {
      const cookie = await sessionCookie('ana@live.test')
      expect((await track(open(url, cookie))).status).toBe(200)
      expect((await track(open(url, cookie))).status).toBe(200)
      const third = await track(open(url, cookie))
      expect(third.status).toBe(429)
      opened[0].close()
      await until(() => liveHub().size === 1)
      expect((await track(open(url, cookie))).status).toBe(200)
    } finally {
      delete process.env.LIVE_MAX_STREAMS_PER_USER
      resetConfigForTests()
    }
  })

  it('ends the streams of a user whose sessions were ended (sign out everywhere), and refuses the old cookie', async () => {
    const cookie = await sessionCookie('ana@live.test')
    const stream = await track(open(url, cookie))
    expect(stream.status).toBe(200)
    await db.user.update({ where: { email: 'ana@live.test' }, data: { sessionVersion: { increment: 1 } } })
    await stream.ended
    expect(liveHub().size).toBe(0)
    expect((await track(open(url, cookie))).status).toBe(401)
  })
})
